package models

import "testing"

func TestMoney(t *testing.T) {
	t.Parallel()
	for fen, want := range map[int64]string{0: "¥0.00", 5: "¥0.05", 1234567: "¥12,345.67", 3_000_000: "¥30,000.00", 100_000_000_000: "¥1,000,000,000.00", -150: "-¥1.50"} {
		if got := FormatYuan(fen); got != want {
			t.Errorf("FormatYuan(%d) = %s, want %s", fen, got, want)
		}
	}
	parse := map[string]struct {
		fen int64
		ok  bool
	}{
		"12,345.67": {1234567, true}, "¥300": {30000, true}, "0.5": {50, true}, ".25": {25, true},
		"-1": {0, false}, "1.234": {0, false}, "abc": {0, false}, "": {0, false}, "1.": {0, false}, "1e5": {0, false},
		// Signs inside the number: strconv would read them.
		"1000000000.-5": {0, false}, ".+5": {0, false}, ".-5": {0, false}, "1.+1": {0, false}, "+5": {0, false}, "1-2": {0, false},
		"¥-5": {0, false}, "5.0-": {0, false}, " 1 000": {0, false}, "0x10": {0, false}, "1_000": {0, false},
		// Still accepted: plain forms people type.
		"1000000000": {100_000_000_000, true}, "1,000,000,000.00": {100_000_000_000, true}, " ¥ 12.5 ": {1250, true}, "007.05": {705, true},
	}
	for in, want := range parse {
		got, err := ParseYuan(in)
		if (err == nil) != want.ok || got != want.fen {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d ok=%v", in, got, err, want.fen, want.ok)
		}
	}
}
