-- A player's own controls (issue 20, limits/player_controls.cpp): the date of birth (18+; without one an account
-- cannot deposit or stake) and a running time-out or self-exclusion, which only ever grows until it ends
-- (`excluded_until`: epoch microseconds; 9223372036854775807 for permanent).
ALTER TABLE users ADD COLUMN date_of_birth TEXT;
ALTER TABLE users ADD COLUMN excluded_until BIGINT;
ALTER TABLE users ADD COLUMN exclusion_period TEXT;
