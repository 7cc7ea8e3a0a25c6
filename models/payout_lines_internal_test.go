package models

import (
	"reflect"
	"testing"
)

func uptr(id uint) *uint { return &id }

// Who each bonus is paid to, and how lines are grouped: directly to creators
// of direct agencies and to independent creators, one line per settling
// agency, MCN bonuses always to the agency.
func TestGroupPayoutByPayee(t *testing.T) {
	direct := func(id, creator, agency uint, week string, fen int64) payoutBonus {
		return payoutBonus{ID: id, CreatorID: creator, AgencyID: uptr(agency), Period: week, AmountFen: fen, Settlement: SettleDirect}
	}
	settled := func(id, creator, agency uint, week string, fen int64) payoutBonus {
		return payoutBonus{ID: id, CreatorID: creator, AgencyID: uptr(agency), Period: week, AmountFen: fen, Settlement: SettleThroughAgency}
	}
	independent := func(id, creator uint, week string, fen int64) payoutBonus {
		return payoutBonus{ID: id, CreatorID: creator, Period: week, AmountFen: fen}
	}
	type line struct {
		Payee    PayeeRef
		Bonuses  []uint
		GrossFen int64
	}
	cases := []struct {
		name    string
		kind    string
		bonuses []payoutBonus
		want    []line
	}{
		{"direct agency: one line per creator", PayCreators,
			[]payoutBonus{direct(1, 10, 7, "2026-W47", 100), direct(2, 11, 7, "2026-W47", 200)},
			[]line{{PayeeRef{PayeeCreator, 10}, []uint{1}, 100}, {PayeeRef{PayeeCreator, 11}, []uint{2}, 200}}},
		{"settling agency: one line for all its creators and weeks", PayCreators,
			[]payoutBonus{settled(1, 10, 7, "2026-W46", 100), settled(2, 11, 7, "2026-W47", 200), settled(3, 10, 7, "2026-W47", 50)},
			[]line{{PayeeRef{PayeeAgency, 7}, []uint{1, 2, 3}, 350}}},
		{"independent creator: paid directly, weeks on one line", PayCreators,
			[]payoutBonus{independent(1, 10, "2026-W46", 100), independent(2, 10, "2026-W47", 300)},
			[]line{{PayeeRef{PayeeCreator, 10}, []uint{1, 2}, 400}}},
		{"mixed", PayCreators,
			[]payoutBonus{settled(1, 10, 7, "2026-W47", 100), direct(2, 11, 8, "2026-W47", 200), independent(3, 12, "2026-W47", 300), settled(4, 13, 7, "2026-W47", 400)},
			[]line{{PayeeRef{PayeeAgency, 7}, []uint{1, 4}, 500}, {PayeeRef{PayeeCreator, 11}, []uint{2}, 200}, {PayeeRef{PayeeCreator, 12}, []uint{3}, 300}}},
		{"MCN bonuses: always the agency, whatever its mode", PayAgencies,
			[]payoutBonus{{ID: 1, AgencyID: uptr(7), Period: "2026-10", AmountFen: 1000, Settlement: SettleDirect},
				{ID: 2, AgencyID: uptr(8), Period: "2026-10", AmountFen: 2000, Settlement: SettleThroughAgency}},
			[]line{{PayeeRef{PayeeAgency, 7}, []uint{1}, 1000}, {PayeeRef{PayeeAgency, 8}, []uint{2}, 2000}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []line
			for _, l := range groupPayout(tc.kind, tc.bonuses) {
				g := line{Payee: l.Payee, GrossFen: l.GrossFen}
				for _, b := range l.Bonuses {
					g.Bonuses = append(g.Bonuses, b.ID)
				}
				got = append(got, g)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("lines %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPayoutPurposeSaysHowManyPeriods(t *testing.T) {
	for _, tc := range []struct {
		kind    string
		periods []string
		want    string
	}{
		{PayCreators, []string{"2026-W47"}, "京东创作者激励 2026-W47"},
		{PayCreators, []string{"2026-W47", "2026-W45", "2026-W46", "2026-W47"}, "京东创作者激励 2026-W45至2026-W47 共3周"},
		{PayAgencies, []string{"2026-10"}, "京东MCN机构月度奖励 2026-10"},
		{PayAgencies, []string{"2026-10", "2026-11"}, "京东MCN机构月度奖励 2026-10至2026-11 共2个月"},
	} {
		if got := payoutPurpose(tc.kind, tc.periods); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.periods, got, tc.want)
		}
	}
}

func TestShareTaxAddsUpToTheLine(t *testing.T) {
	bs := []payoutBonus{{AmountFen: 100_000}, {AmountFen: 200_000}, {AmountFen: 33_333}}
	got := shareTax(bs, 333_333, 10_001)
	var sum int64
	for _, x := range got {
		sum += x
	}
	if sum != 10_001 || got[0] != 3000 || got[1] != 6000 {
		t.Fatalf("shares %v (sum %d)", got, sum)
	}
}
