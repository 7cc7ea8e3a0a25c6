package models

import "testing"

// An invoice is downloaded as a PDF whatever name it was uploaded under.
func TestInvoiceFilenameStaysAPDF(t *testing.T) {
	for in, want := range map[string]string{
		"发票.pdf":               "发票.pdf",
		"INVOICE.PDF":          "INVOICE.PDF",
		"发票.hta":               "发票.hta.pdf",
		`C:\fakepath\x.html`:   "x.html.pdf",
		"../../a.svg":          "a.svg.pdf",
		"":                     "invoice.pdf",
		"quote\"d\x00name.pdf": "quotedname.pdf",
	} {
		if got := cleanFilename(in); got != want {
			t.Errorf("cleanFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
