package models

import (
	"errors"
	"sort"
	"strings"
)

// Sentinel errors that handlers turn into messages or status codes.
var (
	// ErrNotFound means the record does not exist or is outside the actor's tenant.
	ErrNotFound = errors.New("not found")
	// ErrForbidden means the actor's role may not do this.
	ErrForbidden = errors.New("not allowed for this role")
	// ErrCreatorTaken means another agency already holds the JD creator account.
	ErrCreatorTaken = errors.New("this JD creator account is already enrolled by another agency")
	// ErrAlreadyEnrolled means the actor's own agency already holds the account.
	ErrAlreadyEnrolled = errors.New("this JD creator account is already enrolled by your agency")
	// ErrEmailTaken means a user with this email exists.
	ErrEmailTaken = errors.New("a user with this email already exists")
	// ErrInvalidTransition means the creator's state does not allow the change.
	ErrInvalidTransition = errors.New("this change is not possible from the creator's current state")
	// ErrBadCredentials is the one message for unknown email and wrong password.
	ErrBadCredentials = errors.New("email or password is incorrect")
	// ErrInvitationInvalid covers unknown, used and expired invitations alike.
	ErrInvitationInvalid = errors.New("this invitation link is invalid, expired or already used")
)

// FieldErrors maps a form field name to a message naming the problem.
type FieldErrors map[string]string

// Error lists the problems in field order so messages are stable.
func (fe FieldErrors) Error() string {
	keys := sortedKeys(fe)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+fe[k])
	}
	return strings.Join(parts, "; ")
}

// fieldSentinel is a field error that also answers errors.Is for a sentinel
// error, so a handler can tell one refusal from another without comparing text.
type fieldSentinel struct {
	fe       FieldErrors
	sentinel error
}

// fieldErr is the field error on field whose message is sentinel's, and which
// errors.Is matches to sentinel; AsFieldErrors still finds the field error.
func fieldErr(field string, sentinel error) error {
	return &fieldSentinel{fe: FieldErrors{field: sentinel.Error()}, sentinel: sentinel}
}

func (e *fieldSentinel) Error() string   { return e.fe.Error() }
func (e *fieldSentinel) Unwrap() []error { return []error{e.fe, e.sentinel} }

// AsFieldErrors extracts field errors from err, if it carries any.
func AsFieldErrors(err error) (FieldErrors, bool) {
	var fe FieldErrors
	ok := errors.As(err, &fe)
	return fe, ok
}

func sortedKeys(fe FieldErrors) []string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
