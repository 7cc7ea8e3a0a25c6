package models

import "gorm.io/gorm"

// creatorAccountKeyV1 is the creators table's new column as this step adds it.
type creatorAccountKeyV1 struct {
	AccountKey string `gorm:"size:40;not null;default:''"`
}

func (creatorAccountKeyV1) TableName() string { return "creators" }

// migrateAccountKeys gives every creator an account key (AccountKey of the
// account ID: trimmed, lower case) under a unique index, so that one JD
// account cannot be enrolled twice in different letter case. When two
// creators already hold one ID written differently, it stops with an
// AccountKeyCollisionError that lists them, and changes nothing.
//
// The column is declared as it is on the day of this step (a frozen struct);
// the rest is SQL valid on SQLite and PostgreSQL. The column may exist
// already in a database made while the first steps still migrated the
// Creator model of the day, which had it.
func migrateAccountKeys(tx *gorm.DB) error {
	if !tx.Migrator().HasColumn(&creatorAccountKeyV1{}, "AccountKey") {
		// Added by GORM from the frozen struct, so that the column reads exactly
		// as AutoMigrate of Creator makes it and a later AutoMigrate sees nothing
		// to change (on SQLite a changed column means rebuilding the table and
		// losing its indexes).
		if err := tx.Migrator().AddColumn(&creatorAccountKeyV1{}, "AccountKey"); err != nil {
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
