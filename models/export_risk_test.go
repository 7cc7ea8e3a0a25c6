package models

// WithoutRiskDetectors turns every risk detector off until restore is
// called, so a benchmark can measure compute before and after the flags.
// Not for parallel tests.
func WithoutRiskDetectors() (restore func()) {
	saved := riskDetectors
	riskDetectors = nil
	return func() { riskDetectors = saved }
}
