package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// serve refuses DATABASE_READ_URL it cannot honour, and says why without
// showing a password; the commands that only read (backup) never use it.
func TestServeRefusesReadReplicasItCannotUse(t *testing.T) {
	pg := "postgres://portal:pw@127.0.0.1:5432/portal"
	for name, c := range map[string]struct{ primary, replicas, want string }{
		"SQLite primary":  {filepath.Join(t.TempDir(), "portal.db"), "postgres://portal:secret@replica:5432/portal", "needs DATABASE_URL to be PostgreSQL"},
		"not postgres://": {pg, "postgres://r1/portal, mysql://portal:secret@replica/portal", "is not a postgres:// URL"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("KEY_DIR", t.TempDir())
			t.Setenv("DATABASE_URL", c.primary)
			t.Setenv("DATABASE_READ_URL", c.replicas)
			err := serve(testContext(), nil, []string{"--addr", "127.0.0.1:0"})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("serve: %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("the refusal shows a password: %v", err)
			}
		})
	}
	t.Setenv("DATABASE_URL", filepath.Join(t.TempDir(), "portal.db"))
	t.Setenv("DATABASE_READ_URL", "postgres://r1/portal, postgres://r2/portal")
	urls, err := readReplicaURLs()
	if err == nil {
		t.Fatalf("a SQLite primary took replicas %v", urls)
	}
	t.Setenv("DATABASE_URL", pg)
	if urls, err := readReplicaURLs(); err != nil || len(urls) != 2 {
		t.Fatalf("two replicas separated by a comma: %v %v", urls, err)
	}
}
