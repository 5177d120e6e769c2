package web

import "github.com/xiaoneng/xiaoneng/analytics"

// analyticsFilter is an audit filter on an action prefix.
func analyticsFilter(action string) analytics.AuditFilter {
	return analytics.AuditFilter{ActionPrefix: action}
}
