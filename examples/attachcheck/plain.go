package main

import (
	"errors"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/emkhana/emkhana/attach"
)

// Plain mode decides in parallel and writes in input order. One goroutine reads the
// lines into chunks, workers decide the chunks, each into its own output bytes, and one
// goroutine writes the chunks' outputs in the order they were read. A fixed number of
// chunks circulate, so reading waits when writing falls behind; and the bytes of the
// chunks in flight are bounded too, so that a few long lines (-max-line) do not each
// hold a worker's share of memory at once.

// The limits of a chunk: a chunk is sent to a worker once it holds this many lines or
// bytes, at the end of a FILE, or when the input has no more bytes ready.
const (
	chunkLines = 256
	chunkBytes = 64 << 10
)

// inFlightBytes bounds the bytes of the lines in the chunks being decided or written: a
// chunk waits until the others leave room for it, or until it is alone.
const inFlightBytes = 4 << 20

// chunk is a run of lines of one input, decided by one worker.
type chunk struct {
	file  string
	lines []chunkLine
	data  []byte // the lines' bytes, one after the other
	// out holds the output lines, in order, each ending with a newline; invalid counts
	// the error lines among them.
	out     []byte
	invalid int
	done    chan struct{} // receives once out is complete
}

// chunkLine is one line of a chunk.
type chunkLine struct {
	n          int    // its number in its input, from 1
	start, end int    // its bytes in the chunk's data
	problem    string // as inputLine.problem
}

// reset empties the chunk for the next lines, letting go of a buffer a long line grew.
func (c *chunk) reset() {
	c.file, c.lines, c.data, c.out, c.invalid = "", c.lines[:0], c.data[:0], c.out[:0], 0
	if cap(c.data) > 4*chunkBytes {
		c.data = nil
	}
	if cap(c.out) > 64*chunkBytes { // -explain writes about 5 bytes a byte read
		c.out = nil
	}
}

// errStopped is what reading returns when the output failed: the run is over.
var errStopped = errors.New("stopped: the output failed")

// gcPercent is the garbage collector's target in plain mode (GOGC), when the environment
// sets none and -max-line is at most its default: the heap then holds the engine and at
// most about 4 MiB of lines, and every line allocates a few KiB that die with it, so a
// collection every 4 heaps instead of every heap saves about a seventh of the CPU for a
// few tens of MiB.
const gcPercent = 400

// runPlain decides every input line and writes its decision or its error line, in input
// order. It stops reading at the first write that fails.
func runPlain(eng *attach.Engine, cfg *config, stdin io.Reader, out *output) error {
	if _, set := os.LookupEnv("GOGC"); !set && cfg.maxLine <= defaultMaxLine {
		defer debug.SetGCPercent(debug.SetGCPercent(gcPercent))
	}
	workers := cfg.workers
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := 2*workers + 2 // the chunks that circulate
	free := make(chan *chunk, n)
	for range n {
		free <- &chunk{done: make(chan struct{}, 1)}
	}
	work, order := make(chan *chunk, n), make(chan *chunk, n)
	var stop atomic.Bool
	budget := newByteBudget(inFlightBytes)

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			d := newDecider(eng, cfg)
			for c := range work {
				d.decideChunk(c)
				c.done <- struct{}{}
			}
		})
	}
	written := make(chan struct{})
	go func() {
		defer close(written)
		for c := range order {
			<-c.done
			err := out.chunk(c.out, c.invalid)
			if err == nil && len(order) == 0 { // nothing more is ready: the lines go out now
				err = out.flush()
			}
			if err != nil {
				stop.Store(true)
			}
			budget.release(len(c.data))
			c.reset()
			free <- c
		}
	}()

	r := chunkReader{cfg: cfg, free: free, stop: &stop, send: func(c *chunk) {
		budget.acquire(len(c.data))
		work <- c
		order <- c
	}}
	err := r.read(stdin)
	close(work)
	close(order)
	<-written
	wg.Wait()
	if errors.Is(err, errStopped) {
		return nil // the write error is the output's to report
	}
	return err
}

// chunkReader reads the inputs into chunks and sends them.
type chunkReader struct {
	cfg  *config
	free chan *chunk    // the chunks to fill
	send func(c *chunk) // takes a filled chunk
	stop *atomic.Bool   // set when the output failed: reading stops; nil when nothing is written while reading
	c    *chunk         // the chunk being filled, or nil
	max  int            // chunkLines, or cfg.chunkLines in tests
}

// stopped reports whether the output failed.
func (r *chunkReader) stopped() bool { return r.stop != nil && r.stop.Load() }

// read reads the FILEs of the configuration, or stdin when none is named.
func (r *chunkReader) read(stdin io.Reader) error {
	r.max = chunkLines
	if r.cfg.chunkLines > 0 {
		r.max = r.cfg.chunkLines
	}
	if len(r.cfg.files) == 0 {
		return r.readInput(stdin, "")
	}
	for _, name := range r.cfg.files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = r.readInput(f, name)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// readInput reads one input to its end, sending its lines in chunks; the lines read
// before an error are sent.
func (r *chunkReader) readInput(in io.Reader, file string) error {
	lr := newLineReader(in, file, r.cfg.maxLine)
	defer r.flush()
	for {
		if r.stopped() {
			return errStopped
		}
		if r.c == nil {
			r.c = <-r.free
			r.c.file = file
		}
		c := r.c
		start := len(c.data)
		var l inputLine
		var err error
		c.data, l, err = lr.next(c.data)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		c.lines = append(c.lines, chunkLine{n: l.n, start: start, end: len(c.data), problem: l.problem})
		// A chunk is full, or the input has nothing more to give now: a line typed or
		// piped in is decided without waiting for the lines after it.
		if len(c.lines) >= r.max || len(c.data) >= chunkBytes || lr.br.Buffered() == 0 {
			r.flush()
		}
	}
}

// flush sends the chunk being filled, or gives it back when it holds no lines or the
// output failed.
func (r *chunkReader) flush() {
	c := r.c
	if c == nil {
		return
	}
	r.c = nil
	if len(c.lines) == 0 || r.stopped() {
		c.reset()
		r.free <- c
		return
	}
	r.send(c)
}

// decideChunk decides the lines of a chunk into its output.
func (d *decider) decideChunk(c *chunk) {
	b := c.out[:0]
	for i := range c.lines {
		l := &c.lines[i]
		if l.problem != "" {
			b = appendErrorLine(b, &errorLine{File: c.file, Line: l.n, Error: l.problem})
			c.invalid++
		} else if o, err := d.decide(c.data[l.start:l.end]); err != nil {
			b = appendErrorLine(b, &errorLine{File: c.file, Line: l.n, ID: o.ID, Error: errorText(err)})
			c.invalid++
		} else {
			b = appendDecision(b, o)
		}
		b = append(b, '\n')
	}
	c.out = b
}

// byteBudget bounds the bytes in flight. acquire waits until n bytes fit, or until
// nothing else is in flight: a chunk larger than the budget goes alone.
type byteBudget struct {
	mu    sync.Mutex
	freed sync.Cond
	max   int
	used  int
}

func newByteBudget(max int) *byteBudget {
	b := &byteBudget{max: max}
	b.freed.L = &b.mu
	return b
}

func (b *byteBudget) acquire(n int) {
	b.mu.Lock()
	for b.used > 0 && b.used+n > b.max {
		b.freed.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

func (b *byteBudget) release(n int) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.freed.Broadcast()
}
