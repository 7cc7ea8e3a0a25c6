package models

import "gorm.io/gorm"

// migrateAccountKeys gives every creator an account key (AccountKey of the
// account ID: trimmed, lower case) under a unique index, so that one JD
// account cannot be enrolled twice in different letter case. When two
// creators already hold one ID written differently, it stops with an
// AccountKeyCollisionError that lists them, and changes nothing.
//
// Frozen SQL (the schema as it is on the day of this step), valid on SQLite
// and PostgreSQL. The column may exist already: the first steps migrate
// today's Creator struct, which has it.
func migrateAccountKeys(tx *gorm.DB) error {
	if !tx.Migrator().HasColumn("creators", "account_key") {
		if err := tx.Exec(`ALTER TABLE creators ADD COLUMN account_key VARCHAR(40) NOT NULL DEFAULT ''`).Error; err != nil {
			return err
		}
	}
	// Account IDs were validated as ASCII letters, digits, '-' and '_', so
	// SQL's LOWER(TRIM(...)) computes exactly what AccountKey does.
	if err := tx.Exec(`UPDATE creators SET account_key = LOWER(TRIM(account_id))`).Error; err != nil {
		return err
	}
	var rows []struct {
		CreatorID  uint
		AccountID  string
		AccountKey string
		AgencyID   *uint
		AgencyName string
	}
	err := tx.Raw(`SELECT c.id AS creator_id, c.account_id, c.account_key, c.agency_id, COALESCE(a.name, '') AS agency_name
		FROM creators c LEFT JOIN agencies a ON a.id = c.agency_id
		WHERE c.account_key IN (SELECT account_key FROM creators GROUP BY account_key HAVING COUNT(*) > 1)
		ORDER BY c.account_key, c.id`).Scan(&rows).Error
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		e := &AccountKeyCollisionError{Holders: map[string][]AccountKeyHolder{}}
		for _, r := range rows {
			if _, seen := e.Holders[r.AccountKey]; !seen {
				e.Keys = append(e.Keys, r.AccountKey)
			}
			e.Holders[r.AccountKey] = append(e.Holders[r.AccountKey], AccountKeyHolder{CreatorID: r.CreatorID, AccountID: r.AccountID, AgencyID: r.AgencyID, AgencyName: r.AgencyName})
		}
		return e
	}
	return tx.Exec(`CREATE UNIQUE INDEX IF NOT EXISTS idx_creators_account_key ON creators (account_key)`).Error
}
