package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteToFullDevice pins that a failed write ends the run with exit status 3 and a
// message, in every mode (every mode exited 0 with nothing written).
func TestWriteToFullDevice(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full here:", err)
	}
	defer full.Close()
	apps := "../../testdata/applications.jsonl"
	for _, args := range [][]string{
		{apps},
		{"-explain", apps},
		{"-options", writeFile(t, "queries.jsonl", query+"\n")},
		{"-campaign", apps},
		{"-compare", "../../rules/builtin/kz-2025.json", apps},
		{"-compare", lowerNorm(t), "-campaign", apps},
	} {
		cmd := exec.Command(binary, args...)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = full, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "attachcheck %v > /dev/full", args)
		assert.Equal(t, 3, exit.ExitCode(), "attachcheck %v > /dev/full", args)
		assert.Contains(t, stderr.String(), "attachcheck: writing the output: ", "attachcheck %v > /dev/full", args)
		assert.Contains(t, stderr.String(), "no space left on device", "attachcheck %v > /dev/full", args)
	}
}

// failingWriter fails every write after the first ok bytes.
type failingWriter struct {
	ok      int
	written int
}

var errDiskGone = errors.New("the disk is gone")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.written+len(p) > w.ok {
		n := w.ok - w.written
		w.written = w.ok
		return n, errDiskGone
	}
	w.written += len(p)
	return len(p), nil
}

// endless is an input that never ends: the same line again and again.
type endless struct {
	line []byte
	off  int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], e.line[e.off:])
		n += c
		e.off = (e.off + c) % len(e.line)
	}
	return n, nil
}

// TestWriteFails pins, in-process, that the first failed write stops the run: an
// endless input is not read on, the status is 3 and stderr has the writer's error.
func TestWriteFails(t *testing.T) {
	for _, ok := range []int{0, 10000} {
		var stderr bytes.Buffer
		done := make(chan int, 1)
		go func() {
			done <- run(nil, &endless{line: []byte(approvedLine + "\n")}, &failingWriter{ok: ok}, &stderr)
		}()
		select {
		case code := <-done:
			assert.Equal(t, 3, code)
			assert.Equal(t, "attachcheck: writing the output: the disk is gone\n", stderr.String())
		case <-time.After(30 * time.Second):
			t.Fatalf("run did not stop after a write failed (%d bytes written)", ok)
		}
	}
	// A batch mode, whose output is written once every line is read.
	var stderr bytes.Buffer
	in := strings.Repeat(approvedLine+"\n", 3)
	code := run([]string{"-campaign"}, strings.NewReader(in), &failingWriter{ok: 100}, &stderr)
	assert.Equal(t, 3, code)
	assert.Equal(t, "attachcheck: writing the output: the disk is gone\n", stderr.String())
	// A write that succeeds is not an error.
	code = run(nil, strings.NewReader(approvedLine), io.Discard, &stderr)
	assert.Equal(t, 0, code)
}
