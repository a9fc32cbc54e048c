package scim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Reading liberally. Services differ where RFC 7643 leaves room or where
// they are wrong, and the client must work against one it cannot test
// (Cisco's). So responses are decoded as follows, and anything the client
// would have to guess at is an error that quotes what the service sent:
//
//   - attribute names and schema URNs in any letter case (encoding/json
//     matches object keys without regard to case);
//   - id and members[].value as a JSON string or a JSON number (some
//     services use integer keys); a member without a value is an error,
//     never a member with an empty id;
//   - active and emails[].primary as a boolean or as the strings "true"
//     and "false" in any letter case (Entra ID sends "True");
//   - null wherever an attribute may be absent.

// flexString is a string that may arrive as a JSON string or number.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *flexString) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0:
		*s = flexString(b[1 : len(b)-1]) // the common case, without allocating twice
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case string(b) == "null":
		*s = ""
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a string or a number, got %s", quoteAnswer(b))
		}
		*s = flexString(n)
	}
	return nil
}

// flexBool is a boolean that may arrive as a JSON boolean or as the string
// "true" or "false" in any letter case.
type flexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (v *flexBool) UnmarshalJSON(b []byte) error {
	s := string(b)
	if unq, err := strconv.Unquote(s); err == nil {
		s = unq
	}
	switch strings.ToLower(s) {
	case "true":
		*v = true
	case "false":
		*v = false
	default:
		return fmt.Errorf("want a boolean, got %s", quoteAnswer(b))
	}
	return nil
}

// ptr returns a pointer to the flexBool's value, or nil when b is nil.
func (v *flexBool) ptr() *bool {
	if v == nil {
		return nil
	}
	b := bool(*v)
	return &b
}

// maxQuote is how much of a service's answer an error quotes.
const maxQuote = 200

// quoteAnswer returns part of a service's answer for an error message:
// compacted, at most maxQuote bytes, valid UTF-8.
func quoteAnswer(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) == nil {
		b = buf.Bytes()
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if len(s) > maxQuote {
		cut := maxQuote
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// UnmarshalJSON decodes a user as a service sends it (see the top of this
// file).
func (u *User) UnmarshalJSON(b []byte) error {
	*u = User{}
	aux := struct {
		*userAlias
		ID     flexString `json:"id"`
		Active *flexBool  `json:"active"`
	}{userAlias: (*userAlias)(u)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	u.ID, u.Active = string(aux.ID), aux.Active.ptr()
	return nil
}

// emailAlias has Email's fields without its methods.
type emailAlias Email

// UnmarshalJSON decodes an email address, with primary as a boolean or a
// string.
func (e *Email) UnmarshalJSON(b []byte) error {
	*e = Email{}
	aux := struct {
		*emailAlias
		Primary *flexBool `json:"primary"`
	}{emailAlias: (*emailAlias)(e)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	e.Primary = aux.Primary != nil && bool(*aux.Primary)
	return nil
}

// UnmarshalJSON decodes a group as a service sends it (see the top of
// this file).
func (g *Group) UnmarshalJSON(b []byte) error {
	*g = Group{}
	aux := struct {
		*groupAlias
		ID flexString `json:"id"`
	}{groupAlias: (*groupAlias)(g)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	g.ID = string(aux.ID)
	return nil
}

// memberAlias has Member's fields without its methods.
type memberAlias Member

// UnmarshalJSON decodes a member; one without a value is an error that
// quotes it: the client never records a member it cannot name.
func (m *Member) UnmarshalJSON(b []byte) error {
	*m = Member{}
	aux := struct {
		*memberAlias
		Value flexString `json:"value"`
	}{memberAlias: (*memberAlias)(m)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.Value == "" {
		return &MemberWithoutValueError{Answer: quoteAnswer(b)}
	}
	m.Value = string(aux.Value)
	return nil
}

// MemberWithoutValueError is a group member in a service's answer that has
// no value, the member's user id: for example `{}`, which one service sends
// for every member when asked for attributes=members.
type MemberWithoutValueError struct {
	// Answer is the member object as the service sent it (shortened).
	Answer string
}

// Error implements error.
func (e *MemberWithoutValueError) Error() string {
	return fmt.Sprintf(`the service's answer has a group member without "value" (the user's id): %s`, e.Answer)
}
