package models

import (
	"errors"
	"sort"
	"strings"
)

// Sentinel errors that handlers turn into messages or status codes. Each is
// matched with errors.Is and carries the catalogue ID of what a person reads
// (MsgOf); its Error text is for logs only.
var (
	// ErrNotFound means the record does not exist or is outside the actor's tenant.
	ErrNotFound = sentinel("err_not_found", "not found")
	// ErrForbidden means the actor's role may not do this.
	ErrForbidden = sentinel("err_forbidden", "not allowed for this role")
	// ErrCreatorTaken means another agency already holds the JD creator account
	// (the error returned is a CreatorTakenError naming the account).
	ErrCreatorTaken = sentinel("err_creator_taken", "this JD creator account is already enrolled by another agency")
	// ErrAlreadyEnrolled means the actor's own agency already holds the account
	// (the error returned is an AlreadyEnrolledError naming the account).
	ErrAlreadyEnrolled = sentinel("err_already_enrolled", "this JD creator account is already enrolled by your agency")
	// ErrEmailTaken means a user with this email exists (the error returned is an EmailTakenError).
	ErrEmailTaken = sentinel("err_email_taken", "a user with this email already exists")
	// ErrInvalidTransition means the creator's state does not allow the change
	// (the error returned is a TransitionError naming the creator and states).
	ErrInvalidTransition = sentinel("err_invalid_transition", "this change is not possible from the creator's current state")
	// ErrBadCredentials is the one message for unknown email and wrong password.
	ErrBadCredentials = sentinel("login_failed", "email or password is incorrect")
	// ErrInvitationInvalid covers unknown, used and expired invitations alike.
	ErrInvitationInvalid = sentinel("err_invitation_invalid", "this invitation link is invalid, expired or already used")
)

// sentinelError is a sentinel: errors.Is matches it by identity, Msg is what a
// person reads, and its text is for logs.
type sentinelError struct{ id, text string }

// sentinel makes a sentinel error with a message ID and a text for logs.
func sentinel(id, text string) error { return &sentinelError{id: id, text: text} }

func (e *sentinelError) Error() string { return e.text }

// Msg is the sentinel's message for a person.
func (e *sentinelError) Msg() Msg { return Msg{ID: e.id} }

// CreatorTakenError is ErrCreatorTaken with the account another agency holds.
type CreatorTakenError struct{ AccountID string }

func (e CreatorTakenError) Error() string {
	return "JD creator account " + e.AccountID + " is enrolled by another agency"
}

// Unwrap makes errors.Is(err, ErrCreatorTaken) hold.
func (e CreatorTakenError) Unwrap() error { return ErrCreatorTaken }

// Msg names the problem for a person.
func (e CreatorTakenError) Msg() Msg { return M("err_creator_taken", "Account", e.AccountID) }

// AlreadyEnrolledError is ErrAlreadyEnrolled with the account the agency already holds.
type AlreadyEnrolledError struct{ AccountID string }

func (e AlreadyEnrolledError) Error() string {
	return "JD creator account " + e.AccountID + " is already enrolled by this agency"
}

// Unwrap makes errors.Is(err, ErrAlreadyEnrolled) hold.
func (e AlreadyEnrolledError) Unwrap() error { return ErrAlreadyEnrolled }

// Msg names the problem for a person.
func (e AlreadyEnrolledError) Msg() Msg { return M("err_already_enrolled", "Account", e.AccountID) }

// EmailTakenError is ErrEmailTaken with the email in use.
type EmailTakenError struct{ Email string }

func (e EmailTakenError) Error() string { return "a user with email " + e.Email + " exists" }

// Unwrap makes errors.Is(err, ErrEmailTaken) hold.
func (e EmailTakenError) Unwrap() error { return ErrEmailTaken }

// Msg names the problem for a person.
func (e EmailTakenError) Msg() Msg { return M("err_email_taken", "Email", e.Email) }

// TransitionError is ErrInvalidTransition with the creator, the state they are
// in and the action refused.
type TransitionError struct {
	Name   string
	State  CreatorState
	Action CreatorAction
}

func (e TransitionError) Error() string {
	return ErrInvalidTransition.Error() + ": " + e.Name + " is " + string(e.State) + ", cannot " + string(e.Action)
}

// Unwrap makes errors.Is(err, ErrInvalidTransition) hold.
func (e TransitionError) Unwrap() error { return ErrInvalidTransition }

// Msg names the problem for a person.
func (e TransitionError) Msg() Msg {
	return M("err_invalid_transition", "Name", e.Name, "State", Word(e.State))
}

// FieldErrors maps a form field name to the message naming its problem.
type FieldErrors map[string]Msg

// Error lists the problems in field order so the text is stable (for logs and
// test failures; people read the messages rendered in their language).
func (fe FieldErrors) Error() string {
	keys := sortedKeys(fe)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+fe[k].String())
	}
	return strings.Join(parts, "; ")
}

// fieldSentinel is a field error that also answers errors.Is and errors.As
// for a sentinel or typed error, so a handler can tell one refusal from
// another without comparing text.
type fieldSentinel struct {
	fe  FieldErrors
	err error
}

// fieldErr is the field error on field whose message is err's (see MsgOf),
// and which errors.Is and errors.As match to err; AsFieldErrors still finds
// the field error.
func fieldErr(field string, err error) error {
	m, _ := MsgOf(err)
	return &fieldSentinel{fe: FieldErrors{field: m}, err: err}
}

func (e *fieldSentinel) Error() string   { return e.fe.Error() }
func (e *fieldSentinel) Unwrap() []error { return []error{e.fe, e.err} }

// AsFieldErrors extracts field errors from err, if it carries any.
func AsFieldErrors(err error) (FieldErrors, bool) {
	var fe FieldErrors
	ok := errors.As(err, &fe)
	return fe, ok
}

func sortedKeys[V any](fe map[string]V) []string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
