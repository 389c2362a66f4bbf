// Command cmd writes a generated campaign as the JSON Lines that `attachcheck -campaign`
// reads: first one line per doctor, {"count":{"clinic_id":"...","doctor_id":"...","attached":N}},
// then one application per line, in the checker's input form.
//
//	go run ./examples/campaigngen/cmd/campaigngen [-seed N] [-doctors N] [-applications N] [-year YYYY] [-repeaters SHARE] > campaign.jsonl
//	go run ./examples/attachcheck -campaign campaign.jsonl > decisions.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/emkhana/emkhana/examples/campaigngen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var cfg campaigngen.Config
	fs := flag.NewFlagSet("campaigngen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Uint64Var(&cfg.Seed, "seed", 1, "the seed: the same seed gives the same campaign")
	fs.IntVar(&cfg.Doctors, "doctors", 10000, "district doctors")
	fs.IntVar(&cfg.Applications, "applications", 1000000, "applications")
	fs.IntVar(&cfg.Year, "year", 2025, "the year of submission")
	fs.Float64Var(&cfg.Repeaters, "repeaters", campaigngen.DefaultRepeaters, "the `SHARE` of people, 0 to 1, who apply two or three times; 0 for none")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if cfg.Repeaters < 0 || cfg.Repeaters > 1 {
		fmt.Fprintf(stderr, "campaigngen: -repeaters %v: want 0 to 1\n", cfg.Repeaters)
		return 2
	}
	if cfg.Repeaters == 0 {
		cfg.Repeaters = -1 // none; 0 in a Config means the default
	}
	c := campaigngen.Generate(cfg)
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	for _, d := range c.Doctors() {
		if err := enc.Encode(struct {
			Count any `json:"count"`
		}{d}); err != nil {
			fmt.Fprintln(stderr, "campaigngen:", err)
			return 1
		}
	}
	for i := range c.Applications {
		if err := enc.Encode(&c.Applications[i]); err != nil {
			fmt.Fprintln(stderr, "campaigngen:", err)
			return 1
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(stderr, "campaigngen:", err)
		return 1
	}
	return 0
}
