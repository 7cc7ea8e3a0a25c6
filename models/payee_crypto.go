package models

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Payee numbers (resident IDs, credit codes, account numbers) are stored
// encrypted with AES-256-GCM under a key kept outside the database (PAYEE_KEY
// or the payee.key file). A stored value reads "v1:<key id>:<base64 nonce‖
// ciphertext>": the key id is the first 8 hex digits of the key's SHA-256, so
// a value names the key that opens it and `portal keys rotate` can re-encrypt
// every value under a new key while the old one still opens the rest. The
// associated data binds a value to its payee and field, so a value copied
// into another row or column does not open.

// PayeeKeySize is the length of a payee key: AES-256.
const PayeeKeySize = 32

const payeeEnvelope = "v1"

// ErrNoPayeeKey: the store was opened without payee keys (WithPayeeKeys), or
// a stored value names a key the store does not hold.
var ErrNoPayeeKey = errors.New("payee key: none that opens this value (PAYEE_KEY or the payee.key file)")

// payeeCipher holds the payee keys: the current one encrypts, all decrypt.
type payeeCipher struct {
	current string
	keys    map[string]cipher.AEAD
}

// PayeeKeyID is the id a value encrypted under key records.
func PayeeKeyID(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:4])
}

// WithPayeeKeys sets the keys of payee numbers: the first encrypts new
// values, every one decrypts. Each must be 32 bytes. Without keys, saving or
// reading a payee's numbers fails with ErrNoPayeeKey; the rest works.
func WithPayeeKeys(keys ...[]byte) Option {
	return func(s *Store) {
		c := &payeeCipher{keys: map[string]cipher.AEAD{}}
		for i, k := range keys {
			if len(k) != PayeeKeySize {
				s.optionErr = errors.Join(s.optionErr, fmt.Errorf("payee key %d: %d bytes, want %d", i+1, len(k), PayeeKeySize))
				continue
			}
			block, _ := aes.NewCipher(k)
			aead, err := cipher.NewGCM(block)
			if err != nil {
				s.optionErr = errors.Join(s.optionErr, err)
				continue
			}
			id := PayeeKeyID(k)
			if c.current == "" {
				c.current = id
			}
			c.keys[id] = aead
		}
		if c.current != "" {
			s.payee = c
		}
	}
}

// payeeCipherCtx carries the payee keys to a store's transactions.
type payeeCipherCtx struct{}

func withPayeeCipher(ctx context.Context, c *payeeCipher) context.Context {
	return context.WithValue(ctx, payeeCipherCtx{}, c)
}

func payeeCipherOf(tx *gorm.DB) (*payeeCipher, error) {
	c, _ := tx.Statement.Context.Value(payeeCipherCtx{}).(*payeeCipher)
	if c == nil {
		return nil, ErrNoPayeeKey
	}
	return c, nil
}

// seal encrypts plain under the current key, bound to aad.
func (c *payeeCipher) seal(plain, aad string) (string, error) {
	if plain == "" {
		return "", nil
	}
	aead := c.keys[c.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, []byte(plain), []byte(aad))
	return payeeEnvelope + ":" + c.current + ":" + base64.StdEncoding.EncodeToString(out), nil
}

// open decrypts a value sealed under any of the keys.
func (c *payeeCipher) open(sealed, aad string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	id, ok := sealedKeyID(sealed)
	if !ok {
		return "", errors.New("payee value: not an encrypted value")
	}
	aead := c.keys[id]
	if aead == nil {
		return "", fmt.Errorf("%w (key %s)", ErrNoPayeeKey, id)
	}
	raw, err := base64.StdEncoding.DecodeString(sealed[strings.LastIndexByte(sealed, ':')+1:])
	if err != nil || len(raw) < aead.NonceSize() {
		return "", errors.New("payee value: malformed")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(aad))
	if err != nil {
		return "", fmt.Errorf("payee value under key %s: %w", id, err)
	}
	return string(plain), nil
}

// sealedKeyID is the id of the key a stored value is encrypted under.
func sealedKeyID(sealed string) (string, bool) {
	parts := strings.SplitN(sealed, ":", 3)
	if len(parts) != 3 || parts[0] != payeeEnvelope {
		return "", false
	}
	return parts[1], true
}

// payeeAAD binds a value to its payee and field.
func payeeAAD(kind string, ownerID uint, field string) string {
	return fmt.Sprintf("payee/%s/%d/%s", kind, ownerID, field)
}
