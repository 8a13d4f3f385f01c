-- The W3C trace context (traceparent) of the publish that stored the event, when tracing is on: each attempt's
-- span continues that trace and the delivery request carries it on, whichever node sends it and however late.
ALTER TABLE events ADD COLUMN trace_context TEXT;
