package views

// writeRiskBadges writes riskBadges by hand for the queue's rows (see bonusRows).
func writeRiskBadges(put, text func(string), flags []RiskBadge) {
	for i := range flags {
		f := &flags[i]
		put(` <span class="badge badge-risk" data-kind="`)
		text(f.Kind)
		put(`" title="`)
		text(f.Why)
		put(`" data-testid="risk-badge">`)
		text(f.Label)
		put(`</span>`)
	}
}
