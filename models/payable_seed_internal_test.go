package models

import "testing"

// Generated payee numbers pass the same checks as typed ones, and differ per owner.
func TestSeedPayeeNumbersAreValid(t *testing.T) {
	seen := map[string]bool{}
	for _, kind := range []string{PayeeCreator, PayeeAgency} {
		for _, id := range []uint{1, 2, 9, 10, 999, 1000, 123456} {
			idNumber, card := seedPayeeNumbers(kind, id)
			if kind == PayeeCreator && !ValidResidentID(idNumber) || kind == PayeeAgency && !ValidUSCC(idNumber) {
				t.Errorf("%s %d: ID number %s fails its check", kind, id, idNumber)
			}
			if !ValidLuhn(card) {
				t.Errorf("%s %d: card %s fails Luhn", kind, id, card)
			}
			if seen[card] {
				t.Errorf("%s %d: card %s given twice", kind, id, card)
			}
			seen[card] = true
		}
	}
}
