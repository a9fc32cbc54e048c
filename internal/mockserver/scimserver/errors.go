package scimserver

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// SCIM error types (RFC 7644 §3.12).
const (
	scimTypeUniqueness    = "uniqueness"
	scimTypeInvalidFilter = "invalidFilter"
	scimTypeInvalidSyntax = "invalidSyntax"
	scimTypeInvalidPath   = "invalidPath"
	scimTypeNoTarget      = "noTarget"
	scimTypeInvalidValue  = "invalidValue"
	scimTypeMutability    = "mutability"
)

// Schema URNs of SCIM messages (RFC 7644 §3).
const (
	urnError        = "urn:ietf:params:scim:api:messages:2.0:Error"
	urnListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	urnPatchOp      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	urnSearch       = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
)

// contentType is the media type of every SCIM response.
const contentType = "application/scim+json"

// scimError is a failed request: the HTTP status, the RFC 7644 scimType (may
// be empty) and a human-readable detail that never contains a secret.
type scimError struct {
	status   int
	scimType string
	detail   string
}

func (e *scimError) Error() string {
	if e.scimType == "" {
		return e.detail
	}
	return e.scimType + ": " + e.detail
}

// newError builds a scimError.
func newError(status int, scimType, detail string) *scimError {
	return &scimError{status: status, scimType: scimType, detail: detail}
}

// badRequest builds a 400 scimError.
func badRequest(scimType, detail string) *scimError {
	return newError(http.StatusBadRequest, scimType, detail)
}

// errorBody is the RFC 7644 §3.12 error response.
type errorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail,omitempty"`
}

// WriteError writes an RFC 7644 §3.12 error response: content type
// application/scim+json, the HTTP status as a string in "status", and
// scimType when it is not empty.
func WriteError(w http.ResponseWriter, status int, scimType, detail string) {
	writeJSON(w, status, errorBody{
		Schemas:  []string{urnError},
		Status:   strconv.Itoa(status),
		ScimType: scimType,
		Detail:   detail,
	})
}

// writeErr writes e as an RFC 7644 error response.
func writeErr(w http.ResponseWriter, e *scimError) {
	WriteError(w, e.status, e.scimType, e.detail)
}

// writeJSON writes v as a SCIM JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Every value written here is built from JSON-safe types, so this
		// cannot happen short of a programming error; answer 500 rather than panic.
		http.Error(w, "encoding response failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
