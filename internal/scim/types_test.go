package scim

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestUserJSON(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		user User
		want string
	}{
		"minimal": {
			user: User{UserName: "jane"},
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane"}`,
		},
		"empty differs from unset": {
			user: User{UserName: "jane", DisplayName: ptr(""), Active: ptr(false), ExternalID: ptr("")},
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"","userName":"jane","active":false,"displayName":""}`,
		},
		"extension": {
			user: User{ID: "1", UserName: "jane", Cisco: &CiscoUserExtension{AuthName: ptr("jd")}},
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],` +
				`"id":"1","userName":"jane","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User":{"authName":"jd"}}`,
		},
		"name and emails": {
			user: User{UserName: "jane", Name: &Name{GivenName: ptr("Jane")}, Emails: []Email{{Value: "j@x", Primary: true}}},
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane","name":{"givenName":"Jane"},"emails":[{"value":"j@x","primary":true}]}`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tc.user)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("Marshal (-want +got):\n%s", diff)
			}
			var back User
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.user, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUserUnmarshalService(t *testing.T) {
	t.Parallel()
	const doc = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],
		"id":"u1","userName":"jane","active":true,
		"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User":{"nativeObjectId":"guid","authName":"jd"},
		"meta":{"resourceType":"User","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:21:00Z","location":"https://x/Users/u1","version":"W/\"2\""}}`
	var got User
	if err := json.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	want := User{
		ID: "u1", UserName: "jane", Active: ptr(true),
		Cisco: &CiscoUserExtension{NativeObjectID: ptr("guid"), AuthName: ptr("jd")},
		Meta: &Meta{
			ResourceType: "User", Location: "https://x/Users/u1", Version: `W/"2"`,
			Created:      time.Date(2026, 3, 18, 12, 20, 0, 0, time.UTC),
			LastModified: time.Date(2026, 3, 18, 12, 21, 0, 0, time.UTC),
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Unmarshal (-want +got):\n%s", diff)
	}
}

func TestGroupJSON(t *testing.T) {
	t.Parallel()
	got, err := json.Marshal(Group{DisplayName: "Eng", Members: []Member{{Value: "u1", Display: "jane"}}})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Eng","members":[{"value":"u1","display":"jane"}]}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
}
