package attach

import "flag"

// Update rewrites the golden files and generated documents of the package's tests instead
// of comparing with them: go test ./attach -update. It is the one such flag of package
// attach's tests, defined here so that the internal and external tests share it.
var Update = flag.Bool("update", false, "rewrite golden files and generated documents")

// update is Update for the internal tests.
var update = Update
