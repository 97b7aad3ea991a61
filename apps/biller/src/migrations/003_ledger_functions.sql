-- Every money movement as one SQL function, so that a posting, a reversal or a refund is one statement: one round
-- trip, one implicit transaction, instead of about ten statements between BEGIN and COMMIT. The rules are the ones
-- src/ledger/payments.ts documents (it calls these and maps their answers); they live here and nowhere else:
-- - exactly-once: (channel, external_id) is UNIQUE on payments and refunds, reversals are UNIQUE per payment, and
--   inserts use ON CONFLICT DO NOTHING, so of two identical requests racing on two connections one inserts and the
--   other answers with the winner's row;
-- - lock order: the account row first, then the bills it touches, so movements on one account queue behind each
--   other, the checks they make stay true until they commit, and two movements can never deadlock.
-- Every function runs with enable_seqscan off. They look rows up by key, for which an index scan is right at any
-- table size; but PL/pgSQL caches each statement's plan per connection, and a plan made while a table was nearly
-- empty (a new ledger's payments) would otherwise be a seq scan kept as that table grows to millions of rows.
-- Each statement inside a function takes a fresh snapshot (READ COMMITTED, VOLATILE), exactly as separate
-- statements did, so a row committed by the transaction a lock waited for is seen once the lock is granted.

-- Every movement rewrites the paid amount of the bills it touches. Room left on each page lets PostgreSQL do that in
-- place (a HOT update) instead of adding the new row version to all three of the bills' indexes. Pages written
-- from now on (an import, new bills) keep the room; existing ones get it when rewritten.
ALTER TABLE bills SET (fillfactor = 80);

-- What every movement answers: its outcome, the payment it concerns (when there is one), the one figure the outcome
-- names (a minimum, a maximum, what is outstanding, reversed or refundable), and for refunds the refund.
CREATE TYPE ledger_outcome AS (
  outcome text,
  payment_id bigint,
  channel text,
  external_id text,
  account_number text,
  partner_bill_id text,
  amount_paise bigint,
  paid_on date,
  recorded_at timestamptz,
  details jsonb,
  figure_paise bigint,
  exactness text,
  refund_id bigint,
  refund_external_id text,
  refund_amount_paise bigint,
  refund_recorded_at timestamptz
);

-- The payment a channel knows by its reference, as an outcome (every field NULL when there is none).
CREATE FUNCTION ledger_payment(p_outcome text, p_channel text, p_external_id text) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  r ledger_outcome;
BEGIN
  SELECT p_outcome, p.id, p.channel, p.external_id, a.account_number, b.partner_bill_id, p.amount_paise, p.paid_on,
    p.recorded_at, p.details
  INTO r.outcome, r.payment_id, r.channel, r.external_id, r.account_number, r.partner_bill_id, r.amount_paise,
    r.paid_on, r.recorded_at, r.details
  FROM payments p JOIN accounts a ON a.id = p.account_id LEFT JOIN bills b ON b.id = p.bill_id
  WHERE p.channel = p_channel AND p.external_id = p_external_id;
  RETURN r;
END
$$;

-- The payment of a channel with this id (its receipt number's digits), as an outcome.
CREATE FUNCTION ledger_payment_by_id(p_outcome text, p_channel text, p_id bigint) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  RETURN ledger_payment(p_outcome, p_channel,
    (SELECT external_id FROM payments WHERE channel = p_channel AND id = p_id));
END
$$;

-- The refund a channel knows by its reference, with its payment (every field NULL when there is none).
CREATE FUNCTION ledger_refund_record(p_outcome text, p_channel text, p_external_id text) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  r ledger_outcome;
  v_payment_external_id text;
  v_id bigint;
  v_amount bigint;
  v_recorded_at timestamptz;
BEGIN
  SELECT rf.id, rf.amount_paise, rf.recorded_at, p.external_id
  INTO v_id, v_amount, v_recorded_at, v_payment_external_id
  FROM refunds rf JOIN payments p ON p.id = rf.payment_id
  WHERE rf.channel = p_channel AND rf.external_id = p_external_id;
  IF v_id IS NULL THEN
    RETURN r;
  END IF;
  r := ledger_payment(p_outcome, p_channel, v_payment_external_id);
  r.refund_id := v_id;
  r.refund_external_id := p_external_id;
  r.refund_amount_paise := v_amount;
  r.refund_recorded_at := v_recorded_at;
  RETURN r;
END
$$;

-- Does an amount satisfy a bill's exactness, given what the bill still owes? (PL/pgSQL's CASE raises CASE_NOT_FOUND
-- for an exactness it does not list, so a value added to bills.exactness alone refuses payments, never allows them.)
CREATE FUNCTION ledger_amount_allowed(p_exactness text, p_amount bigint, p_outstanding bigint) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  CASE p_exactness
    WHEN 'EXACT' THEN RETURN p_amount = p_outstanding;
    WHEN 'EXACT_UP' THEN RETURN p_amount >= p_outstanding;
    WHEN 'EXACT_DOWN' THEN RETURN p_amount > 0 AND p_amount <= p_outstanding;
    WHEN 'ANY' THEN RETURN p_amount > 0;
  END CASE;
END
$$;

-- A payment against one bill (Kaleidofin's fetchReceipt). Outcomes: recorded, repeated, transaction_conflict (the
-- reference was used for another bill or amount), bill_not_found, already_paid, amount_mismatch.
CREATE FUNCTION ledger_pay_bill(p_channel text, p_external_id text, p_partner_bill_id text, p_amount bigint,
  p_paid_on date, p_details jsonb) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_bill_id bigint;
  v_account_id bigint;
  v_account_number text;
  v_outstanding bigint;
  v_exactness text;
  r ledger_outcome;
BEGIN
  SELECT id, account_id INTO v_bill_id, v_account_id FROM bills WHERE partner_bill_id = p_partner_bill_id;
  IF v_bill_id IS NOT NULL THEN
    SELECT account_number INTO v_account_number FROM accounts WHERE id = v_account_id FOR UPDATE;
    SELECT amount_paise - paid_paise, exactness INTO v_outstanding, v_exactness FROM bills WHERE id = v_bill_id
      FOR UPDATE;
  END IF;
  -- A repeat gets the first answer even if the bill has changed since (paid, account closed), or is gone.
  IF EXISTS (SELECT 1 FROM payments WHERE channel = p_channel AND external_id = p_external_id) THEN
    r := ledger_payment('repeated', p_channel, p_external_id);
  END IF;
  IF r.payment_id IS NULL AND v_bill_id IS NULL THEN
    r.outcome := 'bill_not_found';
    RETURN r;
  END IF;
  IF r.payment_id IS NULL THEN
    -- No account-status check: Kaleidofin acknowledges money the customer has already paid for a bill we listed,
    -- so it is recorded; closed accounts owe nothing, so their bills are not listed in the first place.
    IF v_outstanding <= 0 THEN
      r.outcome := 'already_paid';
      RETURN r;
    END IF;
    IF NOT ledger_amount_allowed(v_exactness, p_amount, v_outstanding) THEN
      r.outcome := 'amount_mismatch';
      r.exactness := v_exactness;
      r.figure_paise := v_outstanding;
      RETURN r;
    END IF;
    INSERT INTO payments (channel, external_id, account_id, bill_id, amount_paise, paid_on, details)
      VALUES (p_channel, p_external_id, v_account_id, v_bill_id, p_amount, p_paid_on, p_details)
      ON CONFLICT (channel, external_id) DO NOTHING RETURNING id, recorded_at INTO r.payment_id, r.recorded_at;
    IF r.payment_id IS NOT NULL THEN
      INSERT INTO allocations (payment_id, bill_id, amount_paise, cause)
        VALUES (r.payment_id, v_bill_id, p_amount, 'payment');
      UPDATE bills SET paid_paise = paid_paise + p_amount, updated_at = now() WHERE id = v_bill_id;
      r.outcome := 'recorded';
      r.channel := p_channel;
      r.external_id := p_external_id;
      r.account_number := v_account_number;
      r.partner_bill_id := p_partner_bill_id;
      r.amount_paise := p_amount;
      r.paid_on := p_paid_on;
      r.details := p_details;
      RETURN r;
    END IF;
    -- The same reference committed meanwhile for another bill (whose lock we do not hold).
    r := ledger_payment('repeated', p_channel, p_external_id);
    IF r.payment_id IS NULL THEN
      RAISE EXCEPTION 'payment conflict without a conflicting payment';
    END IF;
  END IF;
  IF r.partner_bill_id IS DISTINCT FROM p_partner_bill_id OR r.amount_paise <> p_amount THEN
    r.outcome := 'transaction_conflict';
  END IF;
  RETURN r;
END
$$;

-- A payment against an account (EBPP's paymentposting), spread over its open bills, the earliest due first.
-- Outcomes: posted, duplicate, account_not_found, payer_not_holder, account_closed, account_status_invalid,
-- amount_low (figure: the minimum), amount_high (figure: the maximum).
CREATE FUNCTION ledger_pay_account(p_channel text, p_external_id text, p_account_number text,
  p_payer_reference text, p_amount bigint, p_paid_on date, p_details jsonb) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_account accounts%ROWTYPE;
  v_balance bigint;
  v_maximum bigint;
  v_payment_id bigint;
  r ledger_outcome;
BEGIN
  SELECT * INTO v_account FROM accounts WHERE account_number = p_account_number FOR UPDATE;
  IF EXISTS (SELECT 1 FROM payments WHERE channel = p_channel AND external_id = p_external_id) THEN
    RETURN ledger_payment('duplicate', p_channel, p_external_id);
  END IF;
  IF v_account.id IS NULL THEN
    r.outcome := 'account_not_found';
    RETURN r;
  END IF;
  IF p_payer_reference IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM account_holders h JOIN customers c ON c.id = h.customer_id
    WHERE h.account_id = v_account.id AND c.customer_reference = p_payer_reference
  ) THEN
    r.outcome := 'payer_not_holder';
    RETURN r;
  END IF;
  IF v_account.status = 'closed' THEN
    r.outcome := 'account_closed';
    RETURN r;
  END IF;
  IF v_account.status <> 'active' THEN
    r.outcome := 'account_status_invalid';
    RETURN r;
  END IF;

  SELECT coalesce(sum(amount_paise - paid_paise), 0) INTO v_balance FROM (
    SELECT amount_paise, paid_paise FROM bills WHERE account_id = v_account.id AND paid_paise < amount_paise
    ORDER BY due_on, id FOR UPDATE
  ) open_bills;
  -- Below the minimum is refused, except a payment that settles the account (its last few paise).
  IF p_amount <= 0 OR (p_amount < v_account.min_payment_paise AND p_amount <> v_balance) THEN
    r.outcome := 'amount_low';
    r.figure_paise := v_account.min_payment_paise;
    RETURN r;
  END IF;
  -- The ledger holds no credit balances: nobody pays more than the account owes, nor more than its maximum.
  v_maximum := least(coalesce(v_account.max_payment_paise, v_balance), v_balance);
  IF p_amount > v_maximum THEN
    r.outcome := 'amount_high';
    r.figure_paise := v_maximum;
    RETURN r;
  END IF;

  INSERT INTO payments (channel, external_id, account_id, bill_id, amount_paise, paid_on, details)
    VALUES (p_channel, p_external_id, v_account.id, NULL, p_amount, p_paid_on, p_details)
    ON CONFLICT (channel, external_id) DO NOTHING RETURNING id, recorded_at INTO v_payment_id, r.recorded_at;
  IF v_payment_id IS NULL THEN
    -- The same reference committed meanwhile, for another account (whose lock we do not hold).
    r := ledger_payment('duplicate', p_channel, p_external_id);
    IF r.payment_id IS NULL THEN
      RAISE EXCEPTION 'payment conflict without a conflicting payment';
    END IF;
    RETURN r;
  END IF;
  -- Each open bill takes what it owes until the amount runs out: `before` is what the earlier bills took.
  WITH open_bills AS (
    SELECT id, amount_paise - paid_paise AS owed,
      sum(amount_paise - paid_paise) OVER (ORDER BY due_on, id) - (amount_paise - paid_paise) AS before
    FROM bills WHERE account_id = v_account.id AND paid_paise < amount_paise
  ), moves AS (
    SELECT id, least(owed, p_amount - before)::bigint AS take FROM open_bills WHERE before < p_amount
  ), recorded AS (
    INSERT INTO allocations (payment_id, bill_id, amount_paise, cause)
    SELECT v_payment_id, id, take, 'payment' FROM moves
  )
  UPDATE bills SET paid_paise = bills.paid_paise + moves.take, updated_at = now() FROM moves
  WHERE bills.id = moves.id;
  r.outcome := 'posted';
  r.payment_id := v_payment_id;
  r.channel := p_channel;
  r.external_id := p_external_id;
  r.account_number := p_account_number;
  r.amount_paise := p_amount;
  r.paid_on := p_paid_on;
  r.details := p_details;
  RETURN r;
END
$$;

-- Locks the account of a payment, then the bills the payment still has money on.
CREATE FUNCTION ledger_lock_payment(p_payment_id bigint) RETURNS void
LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  PERFORM 1 FROM accounts WHERE id = (SELECT account_id FROM payments WHERE id = p_payment_id) FOR UPDATE;
  PERFORM 1 FROM bills WHERE id IN (SELECT bill_id FROM allocations WHERE payment_id = p_payment_id) FOR UPDATE;
END
$$;

-- Undoes what is left of a payment (refunds may already have given part of it back). Outcomes: reversed (figure:
-- the paise undone), already_reversed, payment_not_found.
CREATE FUNCTION ledger_reverse(p_channel text, p_payment_external_id text, p_details jsonb) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_reversal_id bigint;
  r ledger_outcome;
BEGIN
  r := ledger_payment('reversed', p_channel, p_payment_external_id);
  IF r.payment_id IS NULL THEN
    r.outcome := 'payment_not_found';
    RETURN r;
  END IF;
  PERFORM ledger_lock_payment(r.payment_id);
  INSERT INTO reversals (payment_id, details) VALUES (r.payment_id, p_details)
    ON CONFLICT (payment_id) DO NOTHING RETURNING id INTO v_reversal_id;
  IF v_reversal_id IS NULL THEN
    r.outcome := 'already_reversed';
    RETURN r;
  END IF;
  SELECT coalesce(sum(amount_paise), 0) INTO r.figure_paise FROM allocations WHERE payment_id = r.payment_id;
  WITH net AS (
    SELECT bill_id, sum(amount_paise)::bigint AS paise FROM allocations WHERE payment_id = r.payment_id
    GROUP BY bill_id HAVING sum(amount_paise) <> 0
  ), recorded AS (
    INSERT INTO allocations (payment_id, bill_id, amount_paise, cause)
    SELECT r.payment_id, bill_id, -paise, 'reversal' FROM net
  )
  UPDATE bills SET paid_paise = bills.paid_paise - net.paise, updated_at = now() FROM net WHERE bills.id = net.bill_id;
  RETURN r;
END
$$;

-- Refunds part of a payment (p_amount), or whatever is left of it (NULL); 0 records a refund that takes nothing
-- back (a fee-only refund). The latest-due bills give back first. Outcomes: refunded, duplicate,
-- payment_not_found, exceeds_payment (figure: what is refundable).
CREATE FUNCTION ledger_refund(p_channel text, p_external_id text, p_payment_external_id text, p_amount bigint,
  p_details jsonb) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_refundable bigint;
  v_amount bigint;
  v_refund_id bigint;
  r ledger_outcome;
BEGIN
  r := ledger_refund_record('duplicate', p_channel, p_external_id);
  IF r.refund_id IS NOT NULL THEN
    RETURN r;
  END IF;
  r := ledger_payment('refunded', p_channel, p_payment_external_id);
  IF r.payment_id IS NULL THEN
    r.outcome := 'payment_not_found';
    RETURN r;
  END IF;
  PERFORM ledger_lock_payment(r.payment_id);
  -- Under the account lock nobody else can refund or reverse this payment, so what is refundable stays true.
  r := ledger_refund_record('duplicate', p_channel, p_external_id);
  IF r.refund_id IS NOT NULL THEN
    RETURN r;
  END IF;
  r := ledger_payment('refunded', p_channel, p_payment_external_id);
  SELECT coalesce(sum(amount_paise), 0) INTO v_refundable FROM allocations WHERE payment_id = r.payment_id;
  v_amount := coalesce(p_amount, v_refundable);
  IF v_amount > v_refundable OR (p_amount IS NULL AND v_refundable = 0) THEN
    r.outcome := 'exceeds_payment';
    r.figure_paise := v_refundable;
    RETURN r;
  END IF;
  INSERT INTO refunds (channel, external_id, payment_id, amount_paise, details)
    VALUES (p_channel, p_external_id, r.payment_id, v_amount, p_details)
    ON CONFLICT (channel, external_id) DO NOTHING RETURNING id INTO v_refund_id;
  IF v_refund_id IS NULL THEN
    r := ledger_refund_record('duplicate', p_channel, p_external_id);
    IF r.refund_id IS NULL THEN
      RAISE EXCEPTION 'refund conflict without a conflicting refund';
    END IF;
    RETURN r;
  END IF;
  -- Each bill gives back what the payment still has on it until the amount is reached: `before` is what the
  -- later-due bills gave.
  WITH net AS (
    SELECT al.bill_id, sum(al.amount_paise)::bigint AS paise, b.due_on
    FROM allocations al JOIN bills b ON b.id = al.bill_id WHERE al.payment_id = r.payment_id
    GROUP BY al.bill_id, b.due_on HAVING sum(al.amount_paise) <> 0
  ), ordered AS (
    SELECT bill_id, paise, sum(paise) OVER (ORDER BY due_on DESC, bill_id DESC) - paise AS before FROM net
  ), moves AS (
    SELECT bill_id, least(paise, v_amount - before)::bigint AS take FROM ordered WHERE before < v_amount
  ), recorded AS (
    INSERT INTO allocations (payment_id, bill_id, amount_paise, cause)
    SELECT r.payment_id, bill_id, -take, 'refund' FROM moves
  )
  UPDATE bills SET paid_paise = bills.paid_paise - moves.take, updated_at = now() FROM moves
  WHERE bills.id = moves.bill_id;
  RETURN ledger_refund_record('refunded', p_channel, p_external_id);
END
$$;
