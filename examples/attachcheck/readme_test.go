package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMEExamples runs the examples of the README's section on the checker, from the
// module's root as the README does, and checks that each gives the output shown.
func TestREADMEExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	section := string(readme)
	section = section[strings.Index(section, "## The checker"):]
	section = section[:strings.Index(section, "\n## ")]
	var blocks []string // the ```json blocks, in order
	for _, part := range strings.Split(section, "```json\n")[1:] {
		blocks = append(blocks, part[:strings.Index(part, "```")])
	}
	require.Len(t, blocks, 8, "the JSON examples of the section: application, decision, query, answer, count, decisions, summary, change")
	set := writeFile(t, "norm-1700.json", `{"id":"kz-2025","extends":"kz-2025","values":{"capacity":1700}}`)
	// root runs the command in the module's root and checks its exit status.
	root := func(stdin string, code int, args ...string) string {
		cmd := exec.Command(binary, args...)
		cmd.Dir = "../.."
		cmd.Stdin = strings.NewReader(stdin)
		var out bytes.Buffer
		cmd.Stdout = &out
		_ = cmd.Run()
		require.Equal(t, code, cmd.ProcessState.ExitCode(), "attachcheck %v", args)
		return out.String()
	}
	errorLine := section[strings.Index(section, "`{\"file\""):]
	errorLine = errorLine[1 : strings.Index(errorLine[1:], "`")+1]
	assert.Contains(t, root("", 1, "testdata/mixed.jsonl"), "\n"+errorLine+"\n", "the error line shown")
	assert.Equal(t, blocks[1], root(blocks[0], 0), "plain mode")
	assert.Equal(t, blocks[3], root(blocks[2], 0, "-options"), "-options")
	assert.Equal(t, blocks[2], readFile(t, "../../testdata/queries.jsonl"), "the query of testdata/queries.jsonl")
	campaign := readFile(t, "../../testdata/campaign.jsonl")
	assert.True(t, strings.HasPrefix(campaign, blocks[4]), "testdata/campaign.jsonl starts with the count shown")
	out := root("", 0, "-campaign", "testdata/campaign.jsonl")
	assert.True(t, strings.HasPrefix(out, blocks[5]), "-campaign: the decisions shown, got\n%s", out)
	assert.True(t, strings.HasSuffix(out, blocks[6]), "-campaign: the summary shown, got\n%s", out)
	out = root("", 0, "-compare", set, "-campaign", "testdata/campaign.jsonl")
	assert.True(t, strings.HasPrefix(out, blocks[7]), "-compare: the change shown, got\n%s", out)
	assert.Equal(t, 2, strings.Count(out, "\n"), "-compare: the change and the impact")
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}
