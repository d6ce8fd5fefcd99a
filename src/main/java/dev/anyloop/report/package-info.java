/**
 * {@code anyloop report}: one self-contained HTML page (inline SVG, CSS and script, a strict
 * Content-Security-Policy, no network fetches) built from typed data: the {@code Network}, the intent,
 * {@code check} findings with their traces, and {@code lab probe} results. Computation
 * ({@link dev.anyloop.report.ServiceView}, {@link dev.anyloop.report.HostPlan}, {@link dev.anyloop.report.Drift})
 * is apart from markup ({@link dev.anyloop.report.ReportPage}).
 */
package dev.anyloop.report;
