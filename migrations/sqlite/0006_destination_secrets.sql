-- Destination signing secrets, sealed like source secrets (0005): the nonce
-- and XChaCha20-Poly1305 ciphertext in `secret_sealed`, the master key's id in
-- `secret_key_id`. The server moves secrets still in the clear `secret`
-- column here at startup and leaves that column NULL.
ALTER TABLE destinations ADD COLUMN secret_key_id TEXT;
ALTER TABLE destinations ADD COLUMN secret_sealed BLOB;
