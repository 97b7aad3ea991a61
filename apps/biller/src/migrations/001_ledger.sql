-- The ledger both contracts share. Money is integer paise in BIGINT; nothing here is a float.

CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Kaleidofin's customerId / consumerId and EBPP's customer_reference are the same value.
  customer_reference text NOT NULL UNIQUE,
  name text NOT NULL,
  phone text,
  email text,
  ssn text,
  lookup_reference text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_phone ON customers (phone) WHERE phone IS NOT NULL;
CREATE INDEX customers_email ON customers (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX customers_ssn ON customers (ssn) WHERE ssn IS NOT NULL;
CREATE INDEX customers_lookup_reference ON customers (lookup_reference) WHERE lookup_reference IS NOT NULL;

CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_number text NOT NULL UNIQUE,
  nickname text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed', 'queued_for_repair')),
  -- Limits for one payment; without a maximum the ceiling is what the account owes.
  min_payment_paise bigint NOT NULL DEFAULT 100 CHECK (min_payment_paise > 0),
  max_payment_paise bigint CHECK (max_payment_paise >= min_payment_paise),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Several profiles may hold one account (co-borrowers); the primary holder names the account.
CREATE TABLE account_holders (
  account_id bigint NOT NULL REFERENCES accounts (id),
  customer_id bigint NOT NULL REFERENCES customers (id),
  role text NOT NULL DEFAULT 'primary' CHECK (role IN ('primary', 'co_borrower')),
  PRIMARY KEY (account_id, customer_id)
);
CREATE INDEX account_holders_customer ON account_holders (customer_id);

CREATE TABLE bills (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The biller's own bill id (Kaleidofin's partnerBillId).
  partner_bill_id text NOT NULL UNIQUE,
  account_id bigint NOT NULL REFERENCES accounts (id),
  name text NOT NULL,
  amount_paise bigint NOT NULL CHECK (amount_paise > 0),
  -- Kept in step with the allocations by the ledger, under a row lock; outstanding = amount - paid.
  paid_paise bigint NOT NULL DEFAULT 0 CHECK (paid_paise >= 0),
  generated_on date NOT NULL,
  due_on date NOT NULL,
  exactness text NOT NULL DEFAULT 'EXACT' CHECK (exactness IN ('EXACT', 'EXACT_UP', 'EXACT_DOWN', 'ANY')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (generated_on <= due_on)
);
CREATE INDEX bills_account ON bills (account_id, due_on, id);

-- Every credit, whichever channel brought it. (channel, external_id) is the payer's transaction reference:
-- the UNIQUE constraint is what makes a repeated posting a no-op, even across processes.
CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('kaleidofin', 'ebpp')),
  external_id text NOT NULL,
  account_id bigint NOT NULL REFERENCES accounts (id),
  -- The bill the payer named (Kaleidofin pays one bill); NULL when the payment is for the account (EBPP).
  bill_id bigint REFERENCES bills (id),
  amount_paise bigint NOT NULL CHECK (amount_paise > 0),
  paid_on date,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- What the channel sent that the ledger does not interpret (confirmation numbers, Kaleidofin's systemBillId).
  details jsonb NOT NULL DEFAULT '{}',
  UNIQUE (channel, external_id)
);
CREATE INDEX payments_account ON payments (account_id);

-- How each payment, reversal and refund moved bills' paid amounts: reversals and refunds add negative rows,
-- so the history is append-only and sum(amount_paise) per bill equals bills.paid_paise.
CREATE TABLE allocations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id bigint NOT NULL REFERENCES payments (id),
  bill_id bigint NOT NULL REFERENCES bills (id),
  amount_paise bigint NOT NULL CHECK (amount_paise <> 0),
  cause text NOT NULL CHECK (cause IN ('payment', 'reversal', 'refund'))
);
CREATE INDEX allocations_payment ON allocations (payment_id);
CREATE INDEX allocations_bill ON allocations (bill_id);

-- UNIQUE (payment_id): a posting is undone at most once.
CREATE TABLE reversals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id bigint NOT NULL UNIQUE REFERENCES payments (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  details jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE refunds (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('kaleidofin', 'ebpp')),
  external_id text NOT NULL,
  payment_id bigint NOT NULL REFERENCES payments (id),
  -- 0 for a refund that gives back nothing of the payment itself (EBPP's fee-only refund).
  amount_paise bigint NOT NULL CHECK (amount_paise >= 0),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  details jsonb NOT NULL DEFAULT '{}',
  UNIQUE (channel, external_id)
);
CREATE INDEX refunds_payment ON refunds (payment_id);
