package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/jd/creator-portal/models"
)

// importChunk is how many rows one transaction of the command-line import writes.
const importChunk = 5000

// importCmd is `portal import performance FILE.csv`: the whole file is
// checked first (nothing is written if any line is wrong), then written in
// chunks with progress. Rows are upserts, so a run that was stopped part-way
// can simply be run again.
func importCmd(ctx context.Context, args []string, out io.Writer) error {
	const synopsis = "import performance FILE.csv\n       portal import contents FILE.csv"
	if len(args) > 0 && args[0] == "contents" {
		return importContentsCmd(ctx, args[1:], out)
	}
	if err := helpAsked(args, synopsis); err != nil {
		return err
	}
	if len(args) == 0 || args[0] != "performance" {
		return errors.New("import: the kinds are performance and contents: portal import performance FILE.csv")
	}
	fs := commandFlags("import performance", synopsis)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import performance: give one CSV file")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	rows, err := models.ParseLargePerformanceCSV(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), cliError(err))
	}
	store, err := openStore(ctx, currentSchema)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	fmt.Fprintf(out, "checking %d rows…\n", len(rows))
	var problems []models.RowProblem
	for from := 0; from < len(rows); from += importChunk {
		part := rows[from:min(from+importChunk, len(rows))]
		inputs := make([]models.PerformanceInput, 0, len(part))
		lines := make([]int, 0, len(part))
		for _, r := range part {
			if !r.Err.IsZero() {
				problems = append(problems, models.RowProblem{Row: r.Line, Msg: r.Err})
				continue
			}
			inputs, lines = append(inputs, r.Input), append(lines, r.Line)
		}
		p, err := store.CheckPerformance(ctx, inputs, lines)
		if err != nil {
			return err
		}
		if len(part) > 0 {
			models.NameColumns(p, part[0].Header)
		}
		problems = append(problems, p...)
	}
	if len(problems) > 0 {
		for i, p := range problems {
			if i == 50 {
				fmt.Fprintf(out, "… and %d more\n", len(problems)-50)
				break
			}
			fmt.Fprintf(out, "line %d: %s\n", p.Row, rowProblemText(p))
		}
		return fmt.Errorf("%d lines have problems; nothing was imported", len(problems))
	}
	var total models.IngestResult
	for from := 0; from < len(rows); from += importChunk {
		part := rows[from:min(from+importChunk, len(rows))]
		inputs := make([]models.PerformanceInput, len(part))
		for i, r := range part {
			inputs[i] = r.Input
		}
		res, probs, err := store.IngestPerformance(ctx, &models.Actor{Email: "cli:" + fs.Arg(0)}, "cli:"+filepath.Base(fs.Arg(0)), inputs)
		if err != nil {
			return err
		}
		if len(probs) > 0 { // the data changed between check and write (a creator was removed)
			return fmt.Errorf("line %d: %s; rows before it were imported, fix the file and run again", part[probs[0].Row].Line, rowProblemText(probs[0]))
		}
		total.Inserted += res.Inserted
		total.Updated += res.Updated
		done := from + len(part)
		fmt.Fprintf(out, "%d/%d rows (%.0f rows/s)\n", done, len(rows), float64(done)/time.Since(start).Seconds())
	}
	fmt.Fprintf(out, "done in %s: %d new weeks, %d updated\n", time.Since(start).Round(time.Millisecond), total.Inserted, total.Updated)
	return nil
}
