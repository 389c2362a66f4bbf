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

// TestREADMEKit runs, from the module's root, every command of the README's sections on
// scenarios and on the schemas, and checks that each prints the text block that follows
// it; it checks that the scenario shown is one and the set shown is the file it names.
func TestREADMEKit(t *testing.T) {
	readme := readFile(t, "../../README.md")
	start := strings.Index(readme, "## Testing a rule set with scenarios")
	end := strings.Index(readme, "## The playground")
	require.True(t, start >= 0 && end > start, "the README has the sections")
	section := readme[start:end]
	var command string
	ran, compared := 0, 0
	lines := strings.Split(section, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if args, ok := strings.CutPrefix(l, "    go run ./examples/attachcheck "); ok {
			command = args
			code, out := runRoot(t, strings.Fields(args))
			assert.Contains(t, []int{exitDecided, exitInvalid}, code, "attachcheck %s", args)
			assert.NotEmpty(t, out, "attachcheck %s", args)
			ran++
			continue
		}
		if l != "```text" {
			continue
		}
		var block strings.Builder
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			block.WriteString(lines[i] + "\n")
		}
		require.NotEmpty(t, command, "a text block follows a command")
		_, out := runRoot(t, strings.Fields(command))
		assert.Equal(t, block.String(), out, "the README's output of attachcheck %s", command)
		compared++
	}
	assert.Equal(t, 5, ran, "the commands of the sections")
	assert.Equal(t, 3, compared, "the outputs shown")

	blocks := strings.Split(section, "```json\n")
	require.Len(t, blocks, 3, "a scenario and a set")
	scenario := blocks[1][:strings.Index(blocks[1], "```")]
	cases := readScenarios("README.md", []byte(scenario))
	require.Len(t, cases, 1)
	assert.Empty(t, cases[0].problem, "the scenario shown is a scenario")
	set := blocks[2][:strings.Index(blocks[2], "```")]
	assert.Equal(t, readFile(t, "../../testdata/norm-1700/norm-1700.json"), set, "the set shown is testdata/norm-1700/norm-1700.json")
}

// runRoot runs the built checker in the module's root and returns its exit status and
// standard output.
func runRoot(t *testing.T, args []string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = "../.."
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	_ = cmd.Run()
	return cmd.ProcessState.ExitCode(), out.String()
}
