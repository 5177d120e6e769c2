package web

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDoc is the OpenAPI 3 description of every /api/v1 route. The
// tests call each documented operation on the real server and validate the
// answer against it, and check that it lists exactly the API routes of the
// route table, so it cannot drift from the code unnoticed.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the service's OpenAPI document (JSON).
func OpenAPI() []byte { return append([]byte(nil), openAPIDoc...) }

// apiOpenAPI serves the document; it is public, like /healthz, and not
// stored, like every answer under /api/.
func (s *Server) apiOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}
