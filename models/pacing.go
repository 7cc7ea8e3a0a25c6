package models

import (
	"cmp"
	"math/bits"
	"slices"
)

// PaceProposal is one waiting proposal as pacing sees it.
type PaceProposal struct {
	OwnerID uint  // the creator (weeks) or agency (months): breaks ties
	RuleFen int64 // what the rule gives
	RankBy  int64 // GMV in fen (weeks) or creators delivered (months): the by-rank order
}

// PaceOutcome is what pacing gives the waiting proposals of one period.
type PaceOutcome struct {
	FinalFen  []int64 // per proposal, in the order given
	Unfunded  []bool  // by rank: proposals the money did not reach
	RuleFen   int64   // the proposals' total as the rule gives them
	TotalFen  int64   // their total after pacing
	FactorPPM int64   // TotalFen ÷ RuleFen in millionths (PPM: nothing scaled)
	Over      bool    // the proposals came to more than was available
}

// Pace applies the over-subscription policy to a period's waiting
// proposals, given the money available to them (the period's budget less
// what its decided bonuses hold). When the proposals fit, nothing changes.
// Otherwise pro rata scales every amount by available ÷ total in integer
// fen, rounded down, and hands the remainder out one fen at a time by
// largest remainder (ties: the lower owner id), so the total is exactly the
// money available and no one gets more than the rule gives; by rank funds
// the proposals in order of RankBy (ties: the lower owner id) until the
// money runs out, the one at the boundary getting what is left and the rest
// nothing; warn leaves them as they are. The result does not depend on the
// order of the proposals.
func Pace(policy OverSubscriptionPolicy, availableFen int64, ps []PaceProposal) PaceOutcome {
	out := PaceOutcome{FinalFen: make([]int64, len(ps)), Unfunded: make([]bool, len(ps)), FactorPPM: PPM}
	for i, p := range ps {
		out.RuleFen += p.RuleFen
		out.FinalFen[i] = p.RuleFen
	}
	availableFen = max(availableFen, 0)
	out.TotalFen = out.RuleFen
	if out.RuleFen <= availableFen || policy == PolicyWarn {
		out.Over = out.RuleFen > availableFen
		return out
	}
	out.Over = true
	switch policy {
	case PolicyByRank:
		order := make([]int, len(ps))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { // GMV down, then owner, then input order
			return cmp.Or(cmp.Compare(ps[b].RankBy, ps[a].RankBy), cmp.Compare(ps[a].OwnerID, ps[b].OwnerID), a-b)
		})
		left := availableFen
		for _, i := range order {
			give := min(ps[i].RuleFen, left)
			out.FinalFen[i] = give
			out.Unfunded[i] = give == 0 && ps[i].RuleFen > 0
			left -= give
		}
	default: // pro rata
		rem := make([]uint64, len(ps))
		var given int64
		for i, p := range ps {
			q, r := mulDivRem(p.RuleFen, availableFen, out.RuleFen)
			out.FinalFen[i], rem[i] = q, r
			given += q
		}
		// The remainders add up to (available - given) × total, each below
		// total: at least that many proposals have one, and each of them is
		// below its rule amount, so one more fen keeps it at or under it.
		if short := availableFen - given; short > 0 {
			order := make([]int, 0, len(ps))
			for i := range ps {
				if rem[i] > 0 {
					order = append(order, i)
				}
			}
			slices.SortFunc(order, func(a, b int) int { // largest remainder, then owner, then input order
				return cmp.Or(cmp.Compare(rem[b], rem[a]), cmp.Compare(ps[a].OwnerID, ps[b].OwnerID), a-b)
			})
			for _, i := range order[:min(int(short), len(order))] {
				out.FinalFen[i]++
			}
		}
	}
	out.TotalFen = 0
	for _, f := range out.FinalFen {
		out.TotalFen += f
	}
	out.FactorPPM = ratioPPM(out.TotalFen, out.RuleFen)
	return out
}

// mulDivRem is a × b ÷ c and its remainder for non-negative a, b and a
// positive c with a ≤ c or b ≤ c (the quotient fits), without overflowing.
func mulDivRem(a, b, c int64) (int64, uint64) {
	if a <= 0 || b <= 0 || c <= 0 {
		return 0, 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) { // the quotient would not fit: saturate
		return 1<<63 - 1, 0
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	if q > 1<<63-1 {
		return 1<<63 - 1, 0
	}
	return int64(q), r
}

// mulDiv is a × b ÷ c rounded down (see mulDivRem).
func mulDiv(a, b, c int64) int64 {
	q, _ := mulDivRem(a, b, c)
	return q
}

// ratioPPM is part ÷ whole in millionths, rounded down; PPM when whole is 0.
func ratioPPM(part, whole int64) int64 {
	if whole <= 0 {
		return PPM
	}
	return mulDiv(part, PPM, whole)
}
