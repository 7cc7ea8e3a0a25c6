package models

import "reflect"

// AccountKeyStep is the migration version of migrateAccountKeys, found by
// value so that renumbering the steps does not break the tests that rebuild
// a database as it was just before it.
func AccountKeyStep() int {
	want := reflect.ValueOf(migrateAccountKeys).Pointer()
	for i, step := range migrations {
		if reflect.ValueOf(step).Pointer() == want {
			return i + 1
		}
	}
	panic("migrateAccountKeys is not a migration step")
}
