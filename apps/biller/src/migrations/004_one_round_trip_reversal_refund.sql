-- A reversal and a refund in one round trip, as a posting is: what the EBPP handlers read before moving money (the
-- payment a reversal names, to check it describes that payment; the payment a refund names, by its id or by the
-- biller's own reference) is now done inside the function that moves it. The rules of 003_ledger_functions.sql are
-- unchanged; these replace its ledger_reverse and ledger_refund.

DROP FUNCTION ledger_reverse(text, text, jsonb);
DROP FUNCTION ledger_refund(text, text, text, bigint, jsonb);

-- Undoes what is left of a payment (refunds may already have given part of it back), when the reversal describes it:
-- the account it was posted to (p_account_number), its amount (p_amount) and its id (p_payment_id, from the biller's
-- receipt reference), each checked when it is not NULL. Outcomes: reversed (figure: the paise undone), already_reversed,
-- payment_not_found, mismatch (the payment as posted, for the caller to say what differs; nothing is changed).
CREATE FUNCTION ledger_reverse(p_channel text, p_payment_external_id text, p_account_number text, p_amount bigint,
  p_payment_id bigint, p_details jsonb) RETURNS ledger_outcome
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
  -- A payment's account, amount and id never change, so they are checked before any lock is taken.
  IF r.account_number <> p_account_number OR r.amount_paise <> p_amount OR r.payment_id <> p_payment_id THEN
    r.outcome := 'mismatch';
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
-- back (a fee-only refund). The payment is the channel's p_payment_external_id or, when there is none, the one
-- with id p_payment_id (the biller's receipt reference). The latest-due bills give back first. Outcomes: refunded,
-- duplicate, payment_not_found, exceeds_payment (figure: what is refundable).
CREATE FUNCTION ledger_refund(p_channel text, p_external_id text, p_payment_external_id text, p_payment_id bigint,
  p_amount bigint, p_details jsonb) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_refundable bigint;
  v_amount bigint;
  v_refund_id bigint;
  v_payment ledger_outcome;
  r ledger_outcome;
BEGIN
  r := ledger_refund_record('duplicate', p_channel, p_external_id);
  IF r.refund_id IS NOT NULL THEN
    RETURN r;
  END IF;
  v_payment := ledger_payment('refunded', p_channel, p_payment_external_id);
  IF v_payment.payment_id IS NULL AND p_payment_id IS NOT NULL THEN
    v_payment := ledger_payment_by_id('refunded', p_channel, p_payment_id);
  END IF;
  IF v_payment.payment_id IS NULL THEN
    r.outcome := 'payment_not_found';
    RETURN r;
  END IF;
  PERFORM ledger_lock_payment(v_payment.payment_id);
  -- Under the account lock nobody else can refund or reverse this payment, so what is refundable stays true.
  r := ledger_refund_record('duplicate', p_channel, p_external_id);
  IF r.refund_id IS NOT NULL THEN
    RETURN r;
  END IF;
  SELECT coalesce(sum(amount_paise), 0) INTO v_refundable FROM allocations WHERE payment_id = v_payment.payment_id;
  v_amount := coalesce(p_amount, v_refundable);
  IF v_amount > v_refundable OR (p_amount IS NULL AND v_refundable = 0) THEN
    r := v_payment;
    r.outcome := 'exceeds_payment';
    r.figure_paise := v_refundable;
    RETURN r;
  END IF;
  INSERT INTO refunds (channel, external_id, payment_id, amount_paise, details)
    VALUES (p_channel, p_external_id, v_payment.payment_id, v_amount, p_details)
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
    FROM allocations al JOIN bills b ON b.id = al.bill_id WHERE al.payment_id = v_payment.payment_id
    GROUP BY al.bill_id, b.due_on HAVING sum(al.amount_paise) <> 0
  ), ordered AS (
    SELECT bill_id, paise, sum(paise) OVER (ORDER BY due_on DESC, bill_id DESC) - paise AS before FROM net
  ), moves AS (
    SELECT bill_id, least(paise, v_amount - before)::bigint AS take FROM ordered WHERE before < v_amount
  ), recorded AS (
    INSERT INTO allocations (payment_id, bill_id, amount_paise, cause)
    SELECT v_payment.payment_id, bill_id, -take, 'refund' FROM moves
  )
  UPDATE bills SET paid_paise = bills.paid_paise - moves.take, updated_at = now() FROM moves
  WHERE bills.id = moves.bill_id;
  RETURN ledger_refund_record('refunded', p_channel, p_external_id);
END
$$;
