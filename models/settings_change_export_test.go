package models

import "reflect"

// SettingsChangesStep is the migration step (1-based) that made the settings
// changes table and the programme budget, wherever the list puts it.
var SettingsChangesStep = func() int {
	want := reflect.ValueOf(migrateSettingsChanges).Pointer()
	for i, step := range migrations {
		if reflect.ValueOf(step).Pointer() == want {
			return i + 1
		}
	}
	return 0
}()
