package models

// NotComputed exposes the rule that tells a creator a week is not computed yet.
var NotComputed = notComputed
