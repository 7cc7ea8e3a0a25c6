package models

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CreatorState is where a creator stands in the programme.
type CreatorState string

// Creator states; see CreatorTransitions for the allowed changes.
const (
	StatePending   CreatorState = "pending"
	StateQualified CreatorState = "qualified"
	StateRejected  CreatorState = "rejected"
	StateSuspended CreatorState = "suspended"
)

// CreatorStates lists the states in display order.
var CreatorStates = []CreatorState{StatePending, StateQualified, StateRejected, StateSuspended}

// Valid reports whether st is a known state.
func (st CreatorState) Valid() bool {
	for _, v := range CreatorStates {
		if st == v {
			return true
		}
	}
	return false
}

// ContentType is what a creator produces.
type ContentType string

// Content types.
const (
	ContentVideo ContentType = "video"
	ContentLive  ContentType = "live"
	ContentBoth  ContentType = "both"
)

// ContentTypes lists the content types in display order.
var ContentTypes = []ContentType{ContentVideo, ContentLive, ContentBoth}

// Valid reports whether ct is a known content type.
func (ct ContentType) Valid() bool {
	return ct == ContentVideo || ct == ContentLive || ct == ContentBoth
}

// Creator is a creator enrolled in the programme. The JD creator account ID
// is unique, whatever its letter case (AccountKey): a creator belongs to at
// most one agency.
type Creator struct {
	ID          uint   `gorm:"primaryKey;index:idx_creators_enrolled_id,priority:2;index:idx_creators_agency_enrolled,priority:3"`
	DisplayName string `gorm:"size:80;not null;index"`
	// SearchName is DisplayName folded for prefix search (see SearchKey); kept by BeforeSave.
	SearchName       string       `gorm:"size:80;not null;default:''"`
	AccountID        string       `gorm:"size:40;not null;uniqueIndex"`
	PrimarySubjectID uint         `gorm:"not null;index:idx_creators_subject_state,priority:1"`
	Subject2ID       *uint        `gorm:"index"`
	Subject3ID       *uint        `gorm:"index"`
	ContentType      ContentType  `gorm:"size:10;not null"`
	Followers        int64        `gorm:"not null"`
	ContactEmail     string       `gorm:"size:254"`
	ContactPhone     string       `gorm:"size:40"`
	AgencyID         *uint        `gorm:"index:idx_creators_agency_state,priority:1;index:idx_creators_agency_enrolled,priority:1"`
	Agency           *Agency      `gorm:"constraint:OnDelete:RESTRICT"`
	State            CreatorState `gorm:"size:12;not null;index:idx_creators_agency_state,priority:2;index:idx_creators_subject_state,priority:2;index:idx_creators_state_enrolled,priority:1"`
	StateReason      string       `gorm:"size:40"`
	StateNote        string       `gorm:"size:500"`
	EnrolledAt       time.Time    `gorm:"not null;index;index:idx_creators_state_enrolled,priority:2;index:idx_creators_enrolled_id,priority:1;index:idx_creators_agency_enrolled,priority:2"`
	EnrolledByID     *uint
	QualifiedAt      *time.Time `gorm:"index;index:idx_creators_qualified_agency,priority:2"`
	// QualifiedAgencyID is the agency the creator belonged to when first qualified: quota credit stays with it.
	QualifiedAgencyID *uint     `gorm:"index:idx_creators_qualified_agency,priority:1"`
	StateChangedAt    time.Time `gorm:"not null"`
	// AccountKey is AccountKey(AccountID), kept by BeforeSave; its unique index
	// (idx_creators_account_key) is made by a migration step, not by this tag,
	// because earlier steps migrate this struct onto tables that hold rows.
	AccountKey string `gorm:"size:40;not null;default:''"`
	// ResubmittedAt is when the agency last resubmitted the creator after a
	// rejection (nil: never); with ResubmitNote (the agency's note) and
	// ResubmittedReason (the reason code of the rejection it answers) it marks
	// the creator as a resubmission for reviewers.
	ResubmittedAt     *time.Time
	ResubmitNote      string `gorm:"size:500;not null;default:''"`
	ResubmittedReason string `gorm:"size:40;not null;default:''"`
}

// IsResubmission reports whether the creator waits for a decision after its
// agency resubmitted it.
func (c *Creator) IsResubmission() bool { return c.State == StatePending && c.ResubmittedAt != nil }

// SubjectIDs returns the creator's subject areas, primary first.
func (c *Creator) SubjectIDs() []uint {
	ids := []uint{c.PrimarySubjectID}
	for _, p := range []*uint{c.Subject2ID, c.Subject3ID} {
		if p != nil {
			ids = append(ids, *p)
		}
	}
	return ids
}

func creatorAudit(c *Creator) map[string]any {
	m := map[string]any{
		"display_name": c.DisplayName, "account_id": c.AccountID, "subjects": c.SubjectIDs(),
		"content_type": c.ContentType, "followers": c.Followers, "state": c.State,
	}
	if c.AgencyID != nil {
		m["agency_id"] = *c.AgencyID
	}
	if c.StateReason != "" {
		m["reason"] = c.StateReason
	}
	if c.StateNote != "" {
		m["note"] = c.StateNote
	}
	return m
}

// Enrolment is a request to enrol one creator, from the form or a CSV row.
// Subjects are given as subject-area codes or names; the primary comes first.
type Enrolment struct {
	DisplayName  string
	AccountID    string
	Subjects     []string
	ContentType  string
	Followers    string
	ContactEmail string
	ContactPhone string
}

// MaxSubjects is the most subject areas a creator may have (one primary and two more).
const MaxSubjects = 3

var accountIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{4,40}$`)
var phonePattern = regexp.MustCompile(`^\+?[0-9 -]{5,20}$`)

// validEnrolment is an Enrolment that passed validation.
type validEnrolment struct {
	DisplayName  string
	AccountID    string
	SubjectIDs   []uint
	ContentType  ContentType
	Followers    int64
	ContactEmail string
	ContactPhone string
}

// SubjectIndex resolves what people type for a subject area (its code, its
// name as an admin set it, its name in any language the portal speaks) and
// for a content type (the code or a word for it in any language) — compared
// without regard to case, width or spacing (FoldWord).
type SubjectIndex struct {
	subjects map[string]SubjectArea
	content  map[string]ContentType
}

// NewSubjectIndex indexes the active subject areas and the content types,
// with the words people may type for them (InputWords, from the catalogues).
func NewSubjectIndex(areas []SubjectArea, words ...InputWords) SubjectIndex {
	idx := SubjectIndex{subjects: map[string]SubjectArea{}, content: map[string]ContentType{}}
	byCode := map[string]SubjectArea{}
	for _, a := range areas {
		if !a.Active {
			continue
		}
		byCode[a.Code] = a
		idx.subjects[FoldWord(a.Code)] = a
		idx.subjects[FoldWord(a.Name)] = a
		idx.subjects[strconv.FormatUint(uint64(a.ID), 10)] = a
	}
	for _, ct := range ContentTypes {
		idx.content[FoldWord(string(ct))] = ct
	}
	for _, w := range words {
		for word, code := range w.Subjects {
			if a, ok := byCode[code]; ok {
				if _, taken := idx.subjects[FoldWord(word)]; !taken {
					idx.subjects[FoldWord(word)] = a
				}
			}
		}
		for word, ct := range w.Content {
			idx.content[FoldWord(word)] = ct
		}
	}
	return idx
}

// subject is the active subject area s names, if any.
func (idx SubjectIndex) subject(s string) (SubjectArea, bool) {
	a, ok := idx.subjects[FoldWord(s)]
	return a, ok
}

// contentType is the content type s names, or s itself (then not Valid).
func (idx SubjectIndex) contentType(s string) ContentType {
	if ct, ok := idx.content[FoldWord(s)]; ok {
		return ct
	}
	return ContentType(strings.ToLower(strings.TrimSpace(s)))
}

// Validate checks every field and returns the cleaned request or field errors
// that name each problem.
func (e Enrolment) Validate(subjects SubjectIndex) (validEnrolment, FieldErrors) {
	fe := FieldErrors{}
	v := validEnrolment{
		DisplayName:  strings.TrimSpace(e.DisplayName),
		AccountID:    strings.TrimSpace(e.AccountID),
		ContentType:  subjects.contentType(e.ContentType),
		ContactEmail: NormalizeEmail(e.ContactEmail),
		ContactPhone: strings.TrimSpace(e.ContactPhone),
	}
	switch n := len([]rune(v.DisplayName)); {
	case n == 0:
		fe["display_name"] = Msg{ID: "err_display_name_required"}
	case n > 80:
		fe["display_name"] = M("err_display_name_too_long", "N", 80)
	}
	checkTexts(fe, map[string]string{"display_name": v.DisplayName})
	switch {
	case v.AccountID == "":
		fe["account_id"] = Msg{ID: "err_account_id_required"}
	case !accountIDPattern.MatchString(v.AccountID):
		fe["account_id"] = Msg{ID: "err_account_id_format"}
	}
	var names []string
	for _, s := range e.Subjects {
		if s = strings.TrimSpace(s); s != "" {
			names = append(names, s)
		}
	}
	seen := map[uint]bool{}
	switch {
	case len(names) == 0:
		fe["subjects"] = Msg{ID: "err_primary_subject_required"}
	case len(names) > MaxSubjects:
		fe["subjects"] = M("err_subjects_too_many", "N", MaxSubjects)
	default:
		for _, n := range names {
			sa, ok := subjects.subject(n)
			if !ok {
				fe["subjects"] = M("err_subject_unknown", "Value", n)
				break
			}
			if seen[sa.ID] {
				fe["subjects"] = M("err_subject_twice", "Name", sa.NameArg())
				break
			}
			seen[sa.ID] = true
			v.SubjectIDs = append(v.SubjectIDs, sa.ID)
		}
	}
	if !v.ContentType.Valid() {
		fe["content_type"] = Msg{ID: "err_content_type"}
	}
	followers := strings.ReplaceAll(strings.TrimSpace(e.Followers), ",", "")
	if followers == "" {
		fe["followers"] = Msg{ID: "err_followers_required"}
	} else if n, err := strconv.ParseInt(followers, 10, 64); err != nil || n < 0 || n > 10_000_000_000 {
		fe["followers"] = Msg{ID: "err_followers_range"}
	} else {
		v.Followers = n
	}
	if v.ContactEmail != "" {
		if msg := ValidateEmail(v.ContactEmail); !msg.IsZero() {
			fe["contact_email"] = msg
		}
	}
	if v.ContactPhone != "" && !phonePattern.MatchString(v.ContactPhone) {
		fe["contact_phone"] = Msg{ID: "err_phone_format"}
	}
	return v, fe
}
