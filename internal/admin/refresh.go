package admin

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/readcache"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
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
	tc    *transport.Client
	reads atomic.Int64
	// listing holds the listing until a write through the Client.
	listing *readcache.Cache[directoryListing]
}

// directoryListing is a listing: the complete items by id, or failed.
type directoryListing struct {
	byID   map[string]DirectoryIntegration
	failed bool
}

func newDirectoryReads(tc *transport.Client, cached *readcache.Generation) *directoryReads {
	return &directoryReads{tc: tc, listing: readcache.New(cached, func() directoryListing { return directoryListing{} })}
}

// listed returns the directory integration id from the listing, unless
// the read goes by id: the first read, an id the listing lacks, a failed
// listing.
func (r *directoryReads) listed(ctx context.Context, id string) (*DirectoryIntegration, bool) {
	if r.reads.Add(1) == 1 {
		return nil, false
	}
	l := r.listing.Lock()
	if l.byID != nil || l.failed {
		dir, ok := l.byID[id]
		r.listing.Unlock()
		return &dir, ok
	}
	// byID is nil when the listing failed: the read goes by id.
	byID, _ := readcache.Do(ctx, r.listing, "", func() (map[string]DirectoryIntegration, error) {
		items, err := listAll[json.RawMessage](ctx, r.tc, directoriesPath, nil)
		if err != nil {
			return nil, err
		}
		byID := make(map[string]DirectoryIntegration, len(items))
		for _, item := range items {
			if d, ok := completeDirectory(item); ok {
				byID[d.ID] = d
			}
		}
		return byID, nil
	}, func(l *directoryListing, byID map[string]DirectoryIntegration, err error) {
		// A call cancelled or out of time says nothing about the listing:
		// the next read tries it again.
		l.byID, l.failed = byID, err != nil && ctx.Err() == nil
	})
	dir, ok := byID[id]
	return &dir, ok
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
