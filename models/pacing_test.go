package models_test

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/jd/creator-portal/models"
)

func sumFen(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

func TestPaceTable(t *testing.T) {
	t.Parallel()
	three := []models.PaceProposal{{OwnerID: 1, RuleFen: 30_000, RankBy: 100}, {OwnerID: 2, RuleFen: 20_000, RankBy: 500}, {OwnerID: 3, RuleFen: 10_000, RankBy: 900}}
	cases := []struct {
		name      string
		policy    models.OverSubscriptionPolicy
		available int64
		in        []models.PaceProposal
		want      []int64
		unfunded  []bool
		factor    int64
	}{
		{"fits: nothing changes", models.PolicyProRata, 60_000, three, []int64{30_000, 20_000, 10_000}, nil, models.PPM},
		// 10,000 / 60,000: 5,000, 3,333.33, 1,666.67; the fen left goes to the largest remainder.
		{"pro rata, largest remainder", models.PolicyProRata, 10_000, three, []int64{5_000, 3_333, 1_667}, nil, 166_666},
		{"pro rata, tie to the lower id", models.PolicyProRata, 1, []models.PaceProposal{{OwnerID: 9, RuleFen: 5}, {OwnerID: 4, RuleFen: 5}}, []int64{0, 1}, nil, 100_000},
		{"pro rata, nothing available", models.PolicyProRata, 0, three, []int64{0, 0, 0}, nil, 0},
		{"pro rata, less than nothing", models.PolicyProRata, -5, three, []int64{0, 0, 0}, nil, 0},
		// By GMV: 3 (¥100), 2 (¥150 of ¥200, the boundary), 1 nothing.
		{"by rank", models.PolicyByRank, 25_000, three, []int64{0, 15_000, 10_000}, []bool{true, false, false}, 416_666},
		{"by rank, exactly used up", models.PolicyByRank, 30_000, three, []int64{0, 20_000, 10_000}, []bool{true, false, false}, 500_000},
		{"by rank, GMV tie to the lower id", models.PolicyByRank, 10, []models.PaceProposal{{OwnerID: 7, RuleFen: 10, RankBy: 1}, {OwnerID: 3, RuleFen: 10, RankBy: 1}}, []int64{0, 10}, []bool{true, false}, 500_000},
		{"by rank, nothing available", models.PolicyByRank, 0, three, []int64{0, 0, 0}, []bool{true, true, true}, 0},
		{"warn leaves them", models.PolicyWarn, 10_000, three, []int64{30_000, 20_000, 10_000}, nil, models.PPM},
		{"no proposals", models.PolicyProRata, 10_000, nil, []int64{}, nil, models.PPM},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := models.Pace(tc.policy, tc.available, tc.in)
			if !slices.Equal(out.FinalFen, tc.want) || out.FactorPPM != tc.factor {
				t.Fatalf("final %v factor %d, want %v %d", out.FinalFen, out.FactorPPM, tc.want, tc.factor)
			}
			if tc.unfunded != nil && !slices.Equal(out.Unfunded, tc.unfunded) {
				t.Fatalf("unfunded %v, want %v", out.Unfunded, tc.unfunded)
			}
			var rule int64
			for _, p := range tc.in {
				rule += p.RuleFen
			}
			if out.TotalFen != sumFen(out.FinalFen) || out.RuleFen != rule {
				t.Fatalf("totals %+v", out)
			}
			if tc.policy != models.PolicyWarn && out.RuleFen > max(tc.available, 0) && out.TotalFen != max(tc.available, 0) {
				t.Fatalf("total %d, want the %d available to the fen", out.TotalFen, tc.available)
			}
		})
	}
}

// Pro rata at programme scale: the week's total equals the money to the fen,
// no one is above their rule amount (so never above the cap), and shuffling
// the proposals changes nothing.
func TestPaceProRataIsExactAndOrderFree(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(17))
	cases := []struct {
		name      string
		n         int
		rule      func(i int) int64
		available int64
	}{
		{"100k proposals of ¥30,000 against ¥1bn", 100_000, func(int) int64 { return 3_000_000 }, 100_000_000_000},
		{"100k mixed amounts against an odd budget", 100_000, func(int) int64 { return 1 + rng.Int63n(3_000_000) }, 12_345_678_901},
		{"a few small ones", 7, func(i int) int64 { return int64(3 + i) }, 11},
		{"zero available", 1000, func(int) int64 { return 5_000 }, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := make([]models.PaceProposal, tc.n)
			for i := range in {
				in[i] = models.PaceProposal{OwnerID: uint(i + 1), RuleFen: tc.rule(i), RankBy: rng.Int63n(1_000_000)}
			}
			for _, policy := range []models.OverSubscriptionPolicy{models.PolicyProRata, models.PolicyByRank} {
				out := models.Pace(policy, tc.available, in)
				if out.TotalFen != tc.available || sumFen(out.FinalFen) != tc.available {
					t.Fatalf("%s: total %d, want %d", policy, out.TotalFen, tc.available)
				}
				byOwner := map[uint]int64{}
				for i, p := range in {
					if out.FinalFen[i] < 0 || out.FinalFen[i] > p.RuleFen || out.FinalFen[i] > 3_000_000 {
						t.Fatalf("%s: %d gets %d of its %d", policy, p.OwnerID, out.FinalFen[i], p.RuleFen)
					}
					byOwner[p.OwnerID] = out.FinalFen[i]
				}
				shuffled := slices.Clone(in)
				rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				again := models.Pace(policy, tc.available, shuffled)
				for i, p := range shuffled {
					if again.FinalFen[i] != byOwner[p.OwnerID] {
						t.Fatalf("%s: order changed %d's amount: %d then %d", policy, p.OwnerID, byOwner[p.OwnerID], again.FinalFen[i])
					}
				}
			}
		})
	}
}
