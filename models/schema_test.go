package models_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

// schemaOf describes db's schema as sorted lines: each table; each column
// with its type, NOT NULL, default and part in the primary key; each index
// with its uniqueness, columns (collation and order) and condition; each
// foreign key and named constraint (CHECK with its expression). SQLite's come
// from sqlite_master and its pragmas, PostgreSQL's from information_schema
// and pg_catalog (index definitions as pg_indexes writes them, less the
// schema's name). Column order is left out: ALTER TABLE adds a column last,
// a new table lists it where its struct does, and nothing reads by position.
func schemaOf(db *gorm.DB) ([]string, error) {
	if db.Dialector.Name() == "postgres" {
		return postgresSchema(db)
	}
	return sqliteSchema(db)
}

var (
	sqliteConstraint = regexp.MustCompile("(?i)CONSTRAINT\\s+[`\"]?(\\w+)[`\"]?\\s+(CHECK|FOREIGN KEY|UNIQUE|PRIMARY KEY)")
	schemaSpaces     = regexp.MustCompile(`\s+`)
)

func sqliteSchema(db *gorm.DB) ([]string, error) {
	var tables []struct{ Name, SQL string }
	if err := db.Raw("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Scan(&tables).Error; err != nil {
		return nil, err
	}
	var out []string
	for _, t := range tables {
		out = append(out, "table "+t.Name)
		var cols []struct {
			Name    string
			Type    string
			NotNull bool
			Dflt    *string
			PK      int
		}
		if err := db.Raw(`SELECT name, type, "notnull" AS not_null, dflt_value AS dflt, pk FROM pragma_table_info(?)`, t.Name).Scan(&cols).Error; err != nil {
			return nil, err
		}
		for _, c := range cols {
			d := "-"
			if c.Dflt != nil {
				d = *c.Dflt
			}
			out = append(out, fmt.Sprintf("column %s.%s %s notnull=%v default=%s pk=%d", t.Name, c.Name, strings.ToLower(c.Type), c.NotNull, d, c.PK))
		}
		var idx []struct {
			Name    string
			Unique  bool
			Origin  string
			Partial bool
		}
		if err := db.Raw(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, t.Name).Scan(&idx).Error; err != nil {
			return nil, err
		}
		for _, ix := range idx {
			var keys []struct {
				Name *string
				Coll string
				Desc bool
			}
			if err := db.Raw(`SELECT name, coll, "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, ix.Name).Scan(&keys).Error; err != nil {
				return nil, err
			}
			var parts []string
			for _, k := range keys {
				p := "<expr>"
				if k.Name != nil {
					p = *k.Name
				}
				if !strings.EqualFold(k.Coll, "BINARY") {
					p += " COLLATE " + k.Coll
				}
				if k.Desc {
					p += " DESC"
				}
				parts = append(parts, p)
			}
			name := ix.Name
			if ix.Origin != "c" { // made by a PRIMARY KEY or UNIQUE clause: SQLite names it by position
				name = "(" + ix.Origin + ")"
			}
			line := fmt.Sprintf("index %s.%s unique=%v (%s)", t.Name, name, ix.Unique, strings.Join(parts, ", "))
			if ix.Partial {
				var sql string
				db.Raw("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", ix.Name).Scan(&sql)
				if i := strings.Index(strings.ToUpper(sql), " WHERE "); i >= 0 {
					line += " WHERE " + schemaSpaces.ReplaceAllString(sql[i+7:], " ")
				}
			}
			out = append(out, line)
		}
		var fks []struct {
			ID       int
			Table    string
			From     string
			To       string
			OnUpdate string
			OnDelete string
		}
		if err := db.Raw(`SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, t.Name).Scan(&fks).Error; err != nil {
			return nil, err
		}
		for _, fk := range fks {
			out = append(out, fmt.Sprintf("foreign key %s(%s) -> %s(%s) on update %s on delete %s", t.Name, fk.From, fk.Table, fk.To, fk.OnUpdate, fk.OnDelete))
		}
		for _, m := range sqliteConstraint.FindAllStringSubmatchIndex(t.SQL, -1) {
			name, kind := t.SQL[m[2]:m[3]], strings.ToUpper(t.SQL[m[4]:m[5]])
			def := ""
			if kind == "CHECK" {
				def = " " + parenthesised(t.SQL[m[5]:])
			}
			out = append(out, fmt.Sprintf("constraint %s.%s %s%s", t.Name, name, kind, def))
		}
	}
	sort.Strings(out)
	return out, nil
}

// parenthesised returns the first parenthesised text of s, parentheses included.
func parenthesised(s string) string {
	start := strings.IndexByte(s, '(')
	if start < 0 {
		return ""
	}
	depth := 0
	for i := start; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return schemaSpaces.ReplaceAllString(s[start:i+1], " ")
			}
		}
	}
	return s[start:]
}

func postgresSchema(db *gorm.DB) ([]string, error) {
	var schema string
	if err := db.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		return nil, err
	}
	var out []string
	var tables []string
	if err := db.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'", schema).Scan(&tables).Error; err != nil {
		return nil, err
	}
	for _, t := range tables {
		out = append(out, "table "+t)
	}
	var cols []struct {
		TableName, ColumnName, DataType, IsNullable string
		CharacterMaximumLength                      *int
		ColumnDefault                               *string
	}
	if err := db.Raw(`SELECT table_name, column_name, data_type, is_nullable, character_maximum_length, column_default
		FROM information_schema.columns WHERE table_schema = ?`, schema).Scan(&cols).Error; err != nil {
		return nil, err
	}
	for _, c := range cols {
		typ := c.DataType
		if c.CharacterMaximumLength != nil {
			typ += fmt.Sprintf("(%d)", *c.CharacterMaximumLength)
		}
		d := "-"
		if c.ColumnDefault != nil {
			d = strings.ReplaceAll(*c.ColumnDefault, schema+".", "")
		}
		out = append(out, fmt.Sprintf("column %s.%s %s notnull=%v default=%s", c.TableName, c.ColumnName, typ, c.IsNullable == "NO", d))
	}
	var idx []struct{ Tablename, Indexname, Indexdef string }
	if err := db.Raw("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ?", schema).Scan(&idx).Error; err != nil {
		return nil, err
	}
	for _, ix := range idx {
		def := strings.ReplaceAll(ix.Indexdef, " ON "+schema+".", " ON ")
		out = append(out, fmt.Sprintf("index %s.%s %s", ix.Tablename, ix.Indexname, def))
	}
	var cons []struct{ Relname, Conname, Contype, Def string }
	if err := db.Raw(`SELECT r.relname, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
		FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE n.nspname = ?`, schema).Scan(&cons).Error; err != nil {
		return nil, err
	}
	for _, c := range cons {
		out = append(out, fmt.Sprintf("constraint %s.%s %s %s", c.Relname, c.Conname, c.Contype, strings.ReplaceAll(c.Def, schema+".", "")))
	}
	sort.Strings(out)
	return out, nil
}

// schemaLines is schemaOf(db), failing the test on an error.
func schemaLines(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	lines, err := schemaOf(db)
	if err != nil {
		t.Fatalf("read the schema: %v", err)
	}
	return lines
}

// diffLines lists the lines only in want (-) and only in got (+).
func diffLines(want, got []string) string {
	in := func(lines []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range lines {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range want {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// tableRows reads every row of every table, keyed by table and primary key,
// each row as its columns' values written out.
func tableRows(t *testing.T, db *gorm.DB) map[string]map[string]map[string]string {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]map[string]string{}
	for _, table := range tables {
		if strings.HasPrefix(table, "sqlite_") {
			continue
		}
		pk := primaryKeyColumns(t, db, table)
		rows, err := db.Raw("SELECT * FROM " + table).Rows()
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		out[table] = map[string]map[string]string{}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("read %s: %v", table, err)
			}
			r := map[string]string{}
			for i, c := range cols {
				r[c] = schemaValueString(vals[i])
			}
			keys := make([]string, len(pk))
			for i, c := range pk {
				keys[i] = r[c]
			}
			out[table][strings.Join(keys, "/")] = r
		}
		rows.Close()
	}
	return out
}

func schemaValueString(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(v)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(v)
	}
}

// primaryKey names the columns of table's primary key.
func primaryKeyColumns(t *testing.T, db *gorm.DB, table string) []string {
	t.Helper()
	var cols []string
	var err error
	if db.Dialector.Name() == "postgres" {
		err = db.Raw(`SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary ORDER BY a.attname`, table).Scan(&cols).Error
	} else {
		err = db.Raw("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY name", table).Scan(&cols).Error
	}
	if err != nil || len(cols) == 0 {
		t.Fatalf("primary key of %s: %v %v", table, cols, err)
	}
	return cols
}
