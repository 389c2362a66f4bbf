package campaign

import (
	"errors"
	"fmt"
)

// ErrInvalidBatch matches, with errors.Is, every error [Run] returns for a batch it cannot
// run: nil, a doctor listed twice or with a count outside 0 to [attach.MaxAttached].
var ErrInvalidBatch = errors.New("campaign: invalid batch")

// ErrDuplicateID matches, with errors.Is, the [Decision.Err] of an application of a batch
// whose id an earlier application of the batch already has. The error's text names the
// id and both applications' indexes.
var ErrDuplicateID = errors.New("campaign: application id used twice")

// ErrNotComparable matches, with errors.Is, every error [Compare] returns: a nil result, or
// two results that are not of the same batch.
var ErrNotComparable = errors.New("campaign: compare: the results are not of one batch")

// kindError is an error with its own text that matches its kind, a sentinel, with errors.Is.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

func kindErrorf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}
