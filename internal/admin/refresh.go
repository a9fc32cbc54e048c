package admin

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// directoryReads serves DirectoryIntegrationsService.Read: the reads of a
// refresh, many directory integrations of one organization read at once.
// Cisco allows an API key 14 admin requests a minute, and an organization
// at most 10 directory integrations, which one listing page (limit 100)
// holds. So:
//
//   - The first read is a GET by id, as without batching: a refresh of one
//     directory integration costs one request.
//   - Every later read is served from one listing of all the directory
//     integrations, which concurrent reads share: a refresh of 10 costs 2
//     requests instead of 10 (with their 10 tokens, 12 instead of 20,
//     inside the minute's 14).
//   - An id the listing lacks is read by id, so that an integration
//     created during the listing is never reported gone by mistake; a
//     listing that failed is not tried again until the next write, and
//     its reads go by id.
//   - Cisco publishes no directory integration API (the service contract
//     models it), so a listing is not taken to carry what a GET does: an
//     item that lacks one of DirectoryIntegration's fields (a summary
//     without the user count, say) is read by id, never served as zero.
//   - Every write of a directory integration or of a provisioning token
//     through the same Client forgets the listing, so a read after a write
//     goes to the service.
//
// It holds no more than the organization's directory integrations, until
// the Client is dropped (the provider's is dropped with its process, at
// the end of the Terraform command).
type directoryReads struct {
	s     *DirectoryIntegrationsService
	reads atomic.Int64
	group singleflight.Group

	mu sync.Mutex
	// gen counts the writes; a listing of an earlier generation is stale.
	gen uint64
	// listed is the listing of generation gen, by id; nil when none.
	listed map[string]DirectoryIntegration
	// failed is true when the listing of generation gen failed.
	failed bool
}

// read is DirectoryIntegrationsService.Read with batching.
func (r *directoryReads) read(ctx context.Context, id string) (*DirectoryIntegration, error) {
	if r.reads.Add(1) == 1 {
		return r.s.Get(ctx, id)
	}
	if byID := r.listing(ctx); byID != nil {
		if dir, ok := byID[id]; ok {
			return &dir, nil
		}
	}
	return r.s.Get(ctx, id)
}

// listing returns the listing of the current generation by id, fetching it
// once (concurrent callers share the request), or nil when it failed.
func (r *directoryReads) listing(ctx context.Context) map[string]DirectoryIntegration {
	r.mu.Lock()
	gen, listed, failed := r.gen, r.listed, r.failed
	r.mu.Unlock()
	if listed != nil || failed {
		return listed
	}
	v, _, _ := r.group.Do(strconv.FormatUint(gen, 10), func() (any, error) {
		items, err := listAll[json.RawMessage](ctx, r.s.tc, directoriesPath, nil)
		if err != nil {
			r.mu.Lock()
			// A call cancelled or out of time says nothing about the
			// listing: the next read tries it again.
			if r.gen == gen && ctx.Err() == nil {
				r.failed = true
			}
			r.mu.Unlock()
			return nil, err
		}
		byID := make(map[string]DirectoryIntegration, len(items))
		for _, item := range items {
			if d, ok := completeDirectory(item); ok {
				byID[d.ID] = d
			}
		}
		r.mu.Lock()
		if r.gen == gen {
			r.listed = byID
		}
		r.mu.Unlock()
		return byID, nil
	})
	// v is nil when the listing failed: the reads go by id.
	byID, _ := v.(map[string]DirectoryIntegration)
	return byID
}

// forget drops the listing: something was written.
func (r *directoryReads) forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
	r.listed, r.failed = nil, false
}

// directoryFields are the JSON names of DirectoryIntegration's fields.
var directoryFields = func() []string {
	t := reflect.TypeFor[DirectoryIntegration]()
	names := make([]string, t.NumField())
	for i := range names {
		names[i], _, _ = strings.Cut(t.Field(i).Tag.Get("json"), ",")
	}
	return names
}()

// completeDirectory decodes a listed item when it has every field of
// DirectoryIntegration, none null.
func completeDirectory(item json.RawMessage) (DirectoryIntegration, bool) {
	var fields map[string]json.RawMessage
	var d DirectoryIntegration
	if json.Unmarshal(item, &fields) != nil || json.Unmarshal(item, &d) != nil {
		return d, false
	}
	for _, name := range directoryFields {
		if v, ok := fields[name]; !ok || string(v) == "null" {
			return d, false
		}
	}
	return d, d.ID != ""
}
