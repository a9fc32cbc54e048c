// Command elimity-scim is a SCIM 2.0 service provider built on
// github.com/elimity-com/scim, for running the provider's live-mode
// acceptance tests against an independent SCIM implementation.
//
// This file is wiring: the schemas and resource types handed to the
// library, bearer authentication, request logging, listening and shutdown.
// The library routes, validates requests against the schemas, parses
// filters and PATCH operations and renders responses; store.go (the
// ResourceHandler over an in-memory map) and patch.go (applying the parsed
// PATCH operations) are ours. See README.md.
package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"
)

// basePath is the SCIM base path under the listen address.
const basePath = "/scim/v2"

// ciscoUserSchema is the Cisco Secure Access (Umbrella) user extension.
func ciscoUserSchema() schema.Schema {
	str := func(name, desc string) schema.CoreAttribute {
		return schema.SimpleCoreAttribute(schema.SimpleStringParams(schema.StringParams{
			Name: name, Description: optional.NewString(desc),
		}))
	}
	return schema.Schema{
		ID:          "urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User",
		Name:        optional.NewString("CiscoUmbrellaUser"),
		Description: optional.NewString("Cisco Secure Access user extension"),
		Attributes: []schema.CoreAttribute{
			str("nativeObjectId", "The user's object ID in the source directory (e.g. the AD objectGUID)."),
			str("authName", "The name the user authenticates with."),
		},
	}
}

// newSCIMServer is the library's server with our store behind User and Group.
func newSCIMServer(baseURL string, ids idStyle) (scim.Server, error) {
	userSchema, groupSchema, ext := schema.CoreUserSchema(), schema.CoreGroupSchema(), ciscoUserSchema()
	st := newStore(ids)
	users := st.handler(kindUser, userSchema, ext)
	groups := st.handler(kindGroup, groupSchema)
	return scim.NewServer(&scim.ServerArgs{
		ServiceProviderConfig: &scim.ServiceProviderConfig{
			DocumentationURI: optional.NewString("https://github.com/elimity-com/scim"),
			AuthenticationSchemes: []scim.AuthenticationScheme{{
				Type: scim.AuthenticationTypeOauthBearerToken, Name: "Bearer token",
				Description: "Authorization: Bearer <INTEROP_SCIM_TOKEN>", Primary: true,
			}},
			MaxResults:       100, // the library's default page size cap, stated explicitly
			SupportFiltering: true,
			SupportPatch:     true,
		},
		ResourceTypes: []scim.ResourceType{
			{
				ID: optional.NewString("User"), Name: "User", Endpoint: "/Users",
				Description:      optional.NewString("User Account"),
				Schema:           userSchema,
				SchemaExtensions: []scim.SchemaExtension{{Schema: ext}},
				Handler:          users,
			},
			{
				ID: optional.NewString("Group"), Name: "Group", Endpoint: "/Groups",
				Description: optional.NewString("Group"),
				Schema:      groupSchema,
				Handler:     groups,
			},
		},
	}, scim.WithBaseURL(baseURL), scim.WithLogger(stderrLogger{}))
}

// stderrLogger is the library's Logger on stderr.
type stderrLogger struct{}

func (stderrLogger) Error(args ...interface{}) {
	log.Println(append([]interface{}{"scim:"}, args...)...)
}

// requireBearer answers 401 with a SCIM error unless the request carries
// "Authorization: Bearer <token>".
func requireBearer(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			body, _ := json.Marshal(scimerrors.ScimError{Status: http.StatusUnauthorized, Detail: "A valid bearer token is required."})
			w.Header().Set("Content-Type", "application/scim+json")
			w.Header().Set("WWW-Authenticate", `Bearer realm="scim"`)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write(body)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// logRequests logs one line per request to stderr: method, URL, status.
// A panic (the library panics on some filters) is logged as such and
// passed on to net/http, which drops the connection.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				log.Printf("%s %s panic, connection dropped: %v", r.Method, r.URL.RequestURI(), p)
				panic(p)
			}
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			log.Printf("%s %s %d", r.Method, r.URL.RequestURI(), rec.status)
		}()
		next.ServeHTTP(rec, r)
	})
}

func main() {
	log.SetOutput(os.Stderr)
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	if err := run(); err != nil {
		log.Printf("elimity-scim: %v", err)
		os.Exit(1)
	}
}

func run() error {
	token := os.Getenv("INTEROP_SCIM_TOKEN")
	if token == "" {
		return fmt.Errorf("INTEROP_SCIM_TOKEN is required: the bearer token clients must send")
	}
	ids, err := parseIDStyle(os.Getenv("INTEROP_IDS"))
	if err != nil {
		return err
	}
	// Entra ID sends booleans as strings ("False"); the library accepts
	// them only with this switch, which it documents for that client.
	schema.SetAllowStringValues(true)

	addr := os.Getenv("INTEROP_LISTEN")
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	root := "http://" + ln.Addr().String()
	srv, err := newSCIMServer(root+basePath, ids)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(basePath+"/", http.StripPrefix(basePath, srv))
	hs := &http.Server{
		Handler:           logRequests(requireBearer(token, mux)),
		ReadHeaderTimeout: 10 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Printf("listening on %s\n", root)
	log.Printf("SCIM base URL %s%s (ids: %s)", root, basePath, strings.ToLower(string(ids)))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Printf("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}
