package models

import (
	"context"

	"gorm.io/gorm"
)

// PayeeRotation is what RotatePayeeKeys did.
type PayeeRotation struct {
	KeyID     string // the key every value is now encrypted under
	Payees    int    // payees whose values were re-encrypted
	Remaining int    // values still under another key (0 when done)
	OldKeyIDs []string
}

// RotatePayeeKeys re-encrypts every payee value not under the current key
// (the first of WithPayeeKeys) with it, a batch of payees per transaction,
// and audits each batch. The old keys must still be given (they open the
// values); once it returns with Remaining 0 they can be dropped.
func (s *Store) RotatePayeeKeys(ctx context.Context, a *Actor) (PayeeRotation, error) {
	if s.payee == nil {
		return PayeeRotation{}, ErrNoPayeeKey
	}
	c := s.payee
	out := PayeeRotation{KeyID: c.current}
	old := map[string]bool{}
	const batch = 200
	var after uint
	for {
		var ids []uint
		if err := s.r(ctx).Model(&Payee{}).Where("id > ?", after).Order("id").Limit(batch).Pluck("id", &ids).Error; err != nil {
			return out, err
		}
		if len(ids) == 0 {
			break
		}
		after = ids[len(ids)-1]
		err := s.tx(ctx, func(tx *gorm.DB) error {
			var rows []Payee
			if err := tx.Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
				return err
			}
			var changed []uint
			for _, p := range rows {
				moved := false
				for _, f := range []struct {
					name  string
					value *string
				}{{"id_number", &p.IDNumberEnc}, {"account", &p.AccountEnc}} {
					id, ok := sealedKeyID(*f.value)
					if !ok || id == c.current {
						continue
					}
					aad := payeeAAD(p.Kind, p.OwnerID, f.name)
					plain, err := c.open(*f.value, aad)
					if err != nil {
						return err
					}
					if *f.value, err = c.seal(plain, aad); err != nil {
						return err
					}
					old[id], moved = true, true
				}
				if !moved {
					continue
				}
				// Only the stored values change: the details, their revision and verification stay.
				if err := tx.Model(&Payee{}).Where("id = ?", p.ID).UpdateColumns(map[string]any{"id_number_enc": p.IDNumberEnc, "account_enc": p.AccountEnc}).Error; err != nil {
					return err
				}
				changed = append(changed, p.ID)
			}
			if len(changed) == 0 {
				return nil
			}
			out.Payees += len(changed)
			return appendAudit(tx, a, "payee.keys_rotate", "payee", 0, nil, map[string]any{"key_id": c.current, "payees": changed})
		})
		if err != nil {
			return out, err
		}
	}
	for id := range old {
		out.OldKeyIDs = append(out.OldKeyIDs, id)
	}
	n, err := s.payeeValuesNotUnder(ctx, c.current)
	out.Remaining = n
	return out, err
}

// payeeValuesNotUnder counts the stored payee values encrypted under another key than id.
func (s *Store) payeeValuesNotUnder(ctx context.Context, id string) (int, error) {
	prefix := payeeEnvelope + ":" + id + ":"
	var n int64
	err := s.r(ctx).Model(&Payee{}).Where("(id_number_enc <> '' AND id_number_enc NOT LIKE ?) OR (account_enc <> '' AND account_enc NOT LIKE ?)",
		prefix+"%", prefix+"%").Count(&n).Error
	return int(n), err
}
