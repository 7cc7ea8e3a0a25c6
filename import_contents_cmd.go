package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jd/creator-portal/models"
)

// importContentsCmd is `portal import contents FILE.csv`: a file of the
// week's content items (issue 16), checked whole and written in one
// transaction, all or nothing. It is one transaction, not chunks, because
// each (creator, week)'s items replace its earlier list: a list split
// across chunks would have its first part replaced by its second.
func importContentsCmd(ctx context.Context, args []string, out io.Writer) error {
	const synopsis = "import contents FILE.csv"
	fs := commandFlags("import contents", synopsis)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import contents: give one CSV file")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	rows, err := models.ParseLargeContentCSV(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), cliError(err))
	}
	store, err := openStore(ctx, currentSchema)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	fmt.Fprintf(out, "checking %d content items…\n", len(rows))
	var problems []models.RowProblem
	inputs := make([]models.ContentInput, 0, len(rows))
	lines := make([]int, 0, len(rows))
	for _, r := range rows {
		if !r.Err.IsZero() {
			problems = append(problems, models.RowProblem{Row: r.Line, Msg: r.Err})
			continue
		}
		inputs, lines = append(inputs, r.Input), append(lines, r.Line)
	}
	res, checked, err := store.IngestContents(ctx, &models.Actor{Email: "cli:" + fs.Arg(0)}, "cli", inputs, lines)
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		models.NameColumns(checked, rows[0].Header)
	}
	if problems = append(problems, checked...); len(problems) > 0 {
		for i, p := range problems {
			if i == 50 {
				fmt.Fprintf(out, "… and %d more\n", len(problems)-50)
				break
			}
			fmt.Fprintf(out, "line %d: %s\n", p.Row, rowProblemText(p))
		}
		return fmt.Errorf("%d lines have problems; nothing was imported", len(problems))
	}
	fmt.Fprintf(out, "done in %s: %d content items (%d videos, %d live sessions) for %d creator-weeks\n",
		time.Since(start).Round(time.Millisecond), res.Items, res.Videos, res.Live, res.Weeks)
	return nil
}
