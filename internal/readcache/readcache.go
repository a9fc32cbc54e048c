// Package readcache is what the read caches of the API clients share: a
// cache keeps what reads learned until the next write, and concurrent
// reads that want the same request share it. What to ask, and what to
// keep, is each cache's own.
package readcache

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// Generation counts the writes that invalidate the caches built on it.
// The zero value is ready; a nil *Generation is never invalidated.
type Generation struct{ n atomic.Uint64 }

// Invalidate makes the caches built on g forget what they hold: call it
// after every write, applied or not (a failed request may have been
// applied).
func (g *Generation) Invalidate() { g.n.Add(1) }

// load returns the number of writes so far.
func (g *Generation) load() uint64 {
	if g == nil {
		return 0
	}
	return g.n.Load()
}

// Cache holds a state S that reads build up, afresh after every write. It
// is safe for concurrent use. The zero Cache holds the zero S and is never
// invalidated.
type Cache[S any] struct {
	gen   *Generation
	fresh func() S
	// requests shares a request among the reads that want it at once; its
	// keys carry the generation, so that a read after a write asks anew.
	requests singleflight.Group

	mu    sync.Mutex
	seen  uint64 // the generation of state
	state S
}

// New returns a Cache built on gen that holds fresh() at first and after
// every write.
func New[S any](gen *Generation, fresh func() S) *Cache[S] {
	return &Cache[S]{gen: gen, fresh: fresh, seen: gen.load(), state: fresh()}
}

// Lock locks c and returns its state, afresh if a write came since c was
// last locked. The state may be read and changed until c is unlocked.
func (c *Cache[S]) Lock() *S {
	c.mu.Lock()
	if g := c.gen.load(); g != c.seen {
		c.seen, c.state = g, c.fresh()
	}
	return &c.state
}

// Unlock unlocks c.
func (c *Cache[S]) Unlock() { c.mu.Unlock() }

// Do, with c locked, starts request, or joins the request of key that is
// running, unlocks c, and returns the outcome, or ctx's error first; the
// request goes on for the others, with what it holds (such as the context
// of the read that started it). Before the request ends, it records its
// outcome with c locked, unless a write came since Do. So a read that
// finds no outcome in the state, c locked, finds the request running and
// joins it; and a read after a write never joins a request from before it.
func Do[S, V any](ctx context.Context, c *Cache[S], key string, request func() (V, error), record func(state *S, v V, err error)) (V, error) {
	seen := c.seen
	done := c.requests.DoChan(strconv.FormatUint(seen, 10)+"/"+key, func() (any, error) {
		v, err := request()
		if state := c.Lock(); c.seen == seen {
			record(state, v, err)
		}
		c.Unlock()
		return v, err
	})
	c.Unlock()
	select {
	case r := <-done:
		v, _ := r.Val.(V)
		return v, r.Err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}
