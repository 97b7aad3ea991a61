-- A reversal and a refund in one round trip, as a posting is: what the EBPP handlers read before moving money (the
-- payment a reversal names, to check it describes that payment; the payment a refund names, by its id or by the
-- biller's own reference) is now done by these overloads, which then call 003_ledger_functions.sql's ledger_reverse
-- and ledger_refund. The rules (exactly-once, lock order, every refusal) stay there, in one place.

-- Undoes what is left of a payment (003's ledger_reverse) when the reversal describes it: the account it was posted
-- to (p_account_number), its amount (p_amount) and its id (p_payment_id, from the biller's receipt reference), each
-- checked when it is not NULL. Outcomes: ledger_reverse's, and mismatch (the payment as posted, for the caller to
-- say what differs; nothing is changed). A payment's account, amount and id never change, so no lock is needed to
-- compare them.
CREATE FUNCTION ledger_reverse(p_channel text, p_payment_external_id text, p_account_number text, p_amount bigint,
  p_payment_id bigint, p_details jsonb) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  r ledger_outcome;
BEGIN
  r := ledger_payment('mismatch', p_channel, p_payment_external_id);
  IF r.account_number <> p_account_number OR r.amount_paise <> p_amount OR r.payment_id <> p_payment_id THEN
    RETURN r;
  END IF;
  RETURN ledger_reverse(p_channel, p_payment_external_id, p_details);
END
$$;

-- 003's ledger_refund of the channel's payment p_payment_external_id or, when the channel has none by that id, of
-- the one with id p_payment_id (the biller's receipt reference).
CREATE FUNCTION ledger_refund(p_channel text, p_external_id text, p_payment_external_id text, p_payment_id bigint,
  p_amount bigint, p_details jsonb) RETURNS ledger_outcome
LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  IF p_payment_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM payments WHERE channel = p_channel AND external_id = p_payment_external_id) THEN
    p_payment_external_id := coalesce(
      (SELECT external_id FROM payments WHERE channel = p_channel AND id = p_payment_id), p_payment_external_id);
  END IF;
  RETURN ledger_refund(p_channel, p_external_id, p_payment_external_id, p_amount, p_details);
END
$$;
