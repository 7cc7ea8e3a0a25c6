package models

// Hooks for the external tests: they play an attacker who holds the database
// but not the audit key, and so can compute everything but the right HMAC.

// MACWithKey is the entry's HMAC under key (the attacker's guess of the key).
func (e *AuditEntry) MACWithKey(key []byte) string { return e.mac(key) }

// LegacySHA256 is the plain SHA-256 chain hash the log used before the HMAC.
func (e *AuditEntry) LegacySHA256() string { return e.legacyHash() }
