// Command playground serves a page on which a rule author edits a rule set and an
// application and sees the decision at once, as the citizen and as the official see it:
// the outcome, the failed rules, the trace with its facts, the messages in Kazakh,
// Russian and English, and the remedies. Problems of either document are marked at their
// line and column.
//
//	go run ./examples/playground [-addr 127.0.0.1:0]
//
// It builds the engine for the browser when it starts (go build with GOOS=js
// GOARCH=wasm, into a temporary directory, with the Go toolchain's wasm_exec.js beside
// it), listens on the loopback address -addr (a free port by default), prints the
// page's address and serves until it is interrupted. The page decides in the browser:
// the server serves its own files and nothing else, and the page fetches nothing else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command: it serves until ctx is done, and returns the exit status,
// 2 for a usage error, 1 when the engine cannot be built or the address not listened on.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("playground", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "the loopback `ADDRESS` to listen on: 127.0.0.1, localhost or [::1], and a port (0 for a free one)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "playground: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := checkLoopback(*addr); err != nil {
		fmt.Fprintf(stderr, "playground: -addr %s: %v\n", *addr, err)
		return 2
	}
	dir, err := os.MkdirTemp("", "emkhana-playground-")
	if err != nil {
		fmt.Fprintln(stderr, "playground:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(stderr, "playground: building the engine for the browser (GOOS=js GOARCH=wasm)...")
	if err := buildEngine(ctx, dir); err != nil {
		fmt.Fprintln(stderr, "playground:", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "playground:", err)
		return 1
	}
	srv := &http.Server{Handler: handler(dir), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	fmt.Fprintf(stdout, "playground: http://%s/\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "playground:", err)
		return 1
	}
	return 0
}

// checkLoopback reports an address whose host is not a loopback one.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if !isLoopback(host) {
		return errors.New("the playground listens on a loopback address only: 127.0.0.1, localhost or [::1]")
	}
	return nil
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
