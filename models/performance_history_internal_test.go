package models

import "testing"

// An ingest that changes more weeks than the audit entry lists keeps the
// first auditChangedRows of them, how many changed and their revision ids.
func TestIngestAuditListsChangedWeeksUpToItsBound(t *testing.T) {
	cases := []struct {
		name    string
		changed int
		listed  int
		omitted int
	}{
		{"none", 0, 0, 0},
		{"a few", 3, 3, 0},
		{"just the bound", auditChangedRows, auditChangedRows, 0},
		{"programme scale", 1000, auditChangedRows, 1000 - auditChangedRows},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log := &ingestLog{}
			revs := make([]PerformanceRevision, tc.changed)
			for i := range revs {
				revs[i] = PerformanceRevision{ID: uint(100 + i), CreatorID: uint(i + 1), Week: "2026-W40",
					Before: `{"gmv_fen":1}`, After: `{"gmv_fen":2}`}
			}
			log.add(revs[:tc.changed/2])
			log.add(revs[tc.changed/2:])
			after := log.auditAfter(map[string]any{})
			if after["revisions"] != tc.changed {
				t.Errorf("revisions %v", after["revisions"])
			}
			if tc.changed == 0 {
				if log.auditBefore() != nil || after["changed_weeks"] != nil {
					t.Error("an ingest that changed nothing lists weeks")
				}
				return
			}
			weeks, _ := after["changed_weeks"].([]weekFigures)
			before := log.auditBefore().(map[string]any)["changed_weeks"].([]weekFigures)
			if len(weeks) != tc.listed || len(before) != tc.listed || before[0].Figures.GMVFen != 1 || weeks[0].Figures.GMVFen != 2 {
				t.Errorf("%d weeks listed before, %d after", len(before), len(weeks))
			}
			ids := after["revision_ids"].([]uint)
			if ids[0] != 100 || ids[1] != uint(100+tc.changed-1) {
				t.Errorf("revision ids %v", ids)
			}
			if omitted, _ := after["changed_weeks_not_listed"].(int); omitted != tc.omitted {
				t.Errorf("%d not listed, want %d", omitted, tc.omitted)
			}
		})
	}
}
