// Package static embeds the portal's stylesheet and images into the binary.
package static

import "embed"

// FS holds the static files, served under /static/.
//
//go:embed *.css
var FS embed.FS
