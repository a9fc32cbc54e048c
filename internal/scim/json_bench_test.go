package scim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// JSON encoding and decoding of users, as the client does it: a request
// body is json.Marshal of a *User (through User.MarshalJSON), a response is
// decoded with a json.Decoder into a User or a ListResponse[User]:
//
//	go test -run '^$' -bench 'BenchmarkUserJSON|BenchmarkUserListJSON' -benchmem -count 6 ./internal/scim/

// benchUser returns user i with every attribute the service keeps, shaped
// like the users an IdP provisions, and the service's meta.
func benchUser(i int) User {
	userName := fmt.Sprintf("seed-user-%05d@example.com", i)
	displayName, given, family := fmt.Sprintf("Seed User %05d", i), "Seed", fmt.Sprintf("User %05d", i)
	externalID, active := fmt.Sprintf("00u%05d", i), true
	created := time.Date(2026, 11, 28, 22, 0, 0, 0, time.UTC)
	return User{
		ID:          fmt.Sprintf("2819c223-7f76-453a-919d-4138619%05d", i),
		ExternalID:  &externalID,
		UserName:    userName,
		Active:      &active,
		DisplayName: &displayName,
		Name:        &Name{GivenName: &given, FamilyName: &family},
		Emails:      []Email{{Value: userName, Type: "work", Primary: true}},
		Meta: &Meta{ResourceType: "User", Created: created, LastModified: created,
			Location: "https://api.sse.cisco.com/identity/v2/scim/Users/" + userName, Version: `W/"1"`},
	}
}

// benchUserList returns a ListResponse page of n users as JSON.
func benchUserList(b *testing.B, n int) []byte {
	b.Helper()
	page := ListResponse[User]{TotalResults: 10 * n, StartIndex: 1, ItemsPerPage: n, Resources: make([]User, n)}
	for i := range page.Resources {
		page.Resources[i] = benchUser(i)
	}
	body, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkUserJSON encodes a user as a request body and decodes one from
// a response body.
func BenchmarkUserJSON(b *testing.B) {
	u := benchUser(1)
	body, err := json.Marshal(&u)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := json.Marshal(&u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var out User
			if err := json.NewDecoder(bytes.NewReader(body)).Decode(&out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkUserListJSON decodes a ListResponse page of 1000 users, the page
// size All asks for, as the client reads it, and encodes one as a server
// (the mock) does.
func BenchmarkUserListJSON(b *testing.B) {
	const n = DefaultPageSize
	body := benchUserList(b, n)
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var out ListResponse[User]
			if err := json.NewDecoder(bytes.NewReader(body)).Decode(&out); err != nil {
				b.Fatal(err)
			}
			if len(out.Resources) != n {
				b.Fatalf("decoded %d users, want %d", len(out.Resources), n)
			}
		}
	})
	var page ListResponse[User]
	if err := json.Unmarshal(body, &page); err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := json.Marshal(page); err != nil {
				b.Fatal(err)
			}
		}
	})
}
