package readcache

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
)

// kept is a state that keeps the outcomes recorded, and counts the reads
// that called Do.
type kept struct {
	values []string
	reads  int
}

func newKept(gen *Generation) *Cache[kept] { return New(gen, func() kept { return kept{} }) }

// blocked is a request that counts its calls and answers value once
// release is closed.
type blocked struct {
	calls   atomic.Int32
	release chan struct{}
}

func newBlocked() *blocked { return &blocked{release: make(chan struct{})} }

func (b *blocked) request(value string) func() (string, error) {
	return func() (string, error) {
		b.calls.Add(1)
		<-b.release
		return value, nil
	}
}

// outcome is what Do returned.
type outcome struct {
	v   string
	err error
}

// read calls Do for key as a cache does, c locked, in a goroutine of its
// own, and returns what Do returns.
func read(ctx context.Context, c *Cache[kept], key string, request func() (string, error)) <-chan outcome {
	out := make(chan outcome, 1)
	go func() {
		c.Lock().reads++
		v, err := Do(ctx, c, key, request, func(s *kept, v string, _ error) { s.values = append(s.values, v) })
		out <- outcome{v, err}
	}()
	return out
}

// awaitReads returns once n reads called Do since the last write: each
// counts before Do, which unlocks c only once it started or joined.
func awaitReads(c *Cache[kept], n int) {
	for {
		got := c.Lock().reads
		c.Unlock()
		if got >= n {
			return
		}
		runtime.Gosched()
	}
}

// values returns the outcomes the state kept.
func values(c *Cache[kept]) []string {
	defer c.Unlock()
	return slices.Clone(c.Lock().values)
}

// TestDo_shared: the reads that want a request while it runs share it,
// and its outcome is recorded once; a read of another key sends its own.
func TestDo_shared(t *testing.T) {
	t.Parallel()
	c := newKept(new(Generation))
	b := newBlocked()
	outs := make([]<-chan outcome, 5)
	for i := range outs {
		outs[i] = read(t.Context(), c, "k", b.request("v"))
	}
	other := read(t.Context(), c, "other", b.request("w"))
	awaitReads(c, len(outs)+1)
	close(b.release)
	for _, out := range outs {
		if o := <-out; o.v != "v" || o.err != nil {
			t.Errorf("Do = %q, %v; want v", o.v, o.err)
		}
	}
	if o := <-other; o.v != "w" || o.err != nil {
		t.Errorf("Do of another key = %q, %v; want w", o.v, o.err)
	}
	if n := b.calls.Load(); n != 2 {
		t.Errorf("%d requests, want 2: one a key", n)
	}
	got := values(c)
	slices.Sort(got)
	if !slices.Equal(got, []string{"v", "w"}) {
		t.Errorf("recorded %q, want one outcome a key", got)
	}
}

// TestDo_writeDuringRequest: a write while a request runs keeps its
// outcome out of the state, and a read after the write sends a request of
// its own; the read before the write still gets its outcome.
func TestDo_writeDuringRequest(t *testing.T) {
	t.Parallel()
	gen := new(Generation)
	c := newKept(gen)
	before, after := newBlocked(), newBlocked()
	first := read(t.Context(), c, "k", before.request("before"))
	awaitReads(c, 1)
	gen.Invalidate()
	second := read(t.Context(), c, "k", after.request("after"))
	awaitReads(c, 1)
	close(before.release)
	if o := <-first; o.v != "before" {
		t.Errorf("the read before the write got %q", o.v)
	}
	close(after.release)
	if o := <-second; o.v != "after" {
		t.Errorf("the read after the write got %q, want its own request's", o.v)
	}
	if got := values(c); !slices.Equal(got, []string{"after"}) {
		t.Errorf("recorded %q, want only the outcome after the write", got)
	}
	gen.Invalidate()
	if got := values(c); got != nil {
		t.Errorf("after a write the state holds %q, want it afresh", got)
	}
}

// TestDo_context: a read whose context ends stops waiting; the request
// goes on, records its outcome and serves the reads that joined it.
func TestDo_context(t *testing.T) {
	t.Parallel()
	c := newKept(nil)
	b := newBlocked()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if o := <-read(ctx, c, "k", b.request("v")); !errors.Is(o.err, context.Canceled) {
		t.Errorf("Do with an ended context: %v, want context.Canceled", o.err)
	}
	joined := read(t.Context(), c, "k", b.request("other"))
	awaitReads(c, 2)
	close(b.release)
	if o := <-joined; o.v != "v" || o.err != nil {
		t.Errorf("the read that joined got %q, %v; want v", o.v, o.err)
	}
	if got := values(c); !slices.Equal(got, []string{"v"}) {
		t.Errorf("recorded %q, want v", got)
	}
}

// TestCache_zero: the zero Cache holds the zero state, records outcomes,
// failures too, and is never invalidated.
func TestCache_zero(t *testing.T) {
	t.Parallel()
	var c Cache[[]error]
	failed := errors.New("failed")
	c.Lock()
	_, err := Do(t.Context(), &c, "k", func() (int, error) { return 0, failed },
		func(s *[]error, _ int, err error) { *s = append(*s, err) })
	if !errors.Is(err, failed) {
		t.Errorf("Do = %v, want the request's error", err)
	}
	defer c.Unlock()
	if got := *c.Lock(); len(got) != 1 || !errors.Is(got[0], failed) {
		t.Errorf("state %v, want the failure recorded", got)
	}
}
