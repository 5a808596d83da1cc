--
-- PostgreSQL database dump
--

-- Dumped from database version 16.2
-- Dumped by pg_dump version 16.2

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: audit_refuse(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_refuse() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION USING MESSAGE = 'the audit log cannot be edited', ERRCODE = 'integrity_constraint_violation'; END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: account; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.account (
    id integer NOT NULL,
    email text NOT NULL COLLATE pg_catalog."C",
    first text NOT NULL COLLATE pg_catalog."C",
    last text NOT NULL COLLATE pg_catalog."C",
    email_fold text COLLATE pg_catalog."C",
    first_fold text COLLATE pg_catalog."C",
    last_fold text COLLATE pg_catalog."C",
    language text NOT NULL COLLATE pg_catalog."C",
    country text NOT NULL COLLATE pg_catalog."C",
    region text NOT NULL COLLATE pg_catalog."C",
    postal_code text NOT NULL COLLATE pg_catalog."C",
    company text NOT NULL COLLATE pg_catalog."C",
    phone text NOT NULL COLLATE pg_catalog."C",
    address_line1 text NOT NULL COLLATE pg_catalog."C",
    address_line2 text NOT NULL COLLATE pg_catalog."C",
    city text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: account_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.account_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: account_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.account_id_seq OWNED BY public.account.id;


--
-- Name: audit; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit (
    id integer NOT NULL,
    operator text NOT NULL COLLATE pg_catalog."C",
    action text NOT NULL COLLATE pg_catalog."C",
    subscription_id integer,
    case_id integer,
    before text COLLATE pg_catalog."C",
    after text COLLATE pg_catalog."C",
    detail text COLLATE pg_catalog."C",
    at timestamp without time zone NOT NULL,
    wall_at timestamp without time zone NOT NULL
);


--
-- Name: audit_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_id_seq OWNED BY public.audit.id;


--
-- Name: case; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."case" (
    id integer NOT NULL,
    kind text NOT NULL COLLATE pg_catalog."C",
    subject text NOT NULL COLLATE pg_catalog."C",
    description text NOT NULL COLLATE pg_catalog."C",
    steps text NOT NULL COLLATE pg_catalog."C",
    attachments text NOT NULL COLLATE pg_catalog."C",
    category text NOT NULL COLLATE pg_catalog."C",
    subscription_id integer,
    order_ref text COLLATE pg_catalog."C",
    descriptor text COLLATE pg_catalog."C",
    q_severity boolean NOT NULL,
    q_breadth boolean NOT NULL,
    q_urgency boolean NOT NULL,
    q_visibility boolean NOT NULL,
    severity integer NOT NULL,
    status text NOT NULL COLLATE pg_catalog."C",
    opened_at timestamp without time zone NOT NULL,
    first_response_at timestamp without time zone,
    last_update_at timestamp without time zone,
    last_communication_at timestamp without time zone NOT NULL,
    pending_since timestamp without time zone,
    closed_at timestamp without time zone,
    due_at timestamp without time zone,
    breach_noted_for timestamp without time zone,
    satisfaction_score integer,
    satisfaction_comment text COLLATE pg_catalog."C"
);


--
-- Name: case_escalation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_escalation (
    id integer NOT NULL,
    case_id integer NOT NULL,
    who text NOT NULL COLLATE pg_catalog."C",
    why text NOT NULL COLLATE pg_catalog."C",
    at timestamp without time zone NOT NULL,
    severity_before integer NOT NULL,
    severity_after integer NOT NULL
);


--
-- Name: case_escalation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.case_escalation_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: case_escalation_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.case_escalation_id_seq OWNED BY public.case_escalation.id;


--
-- Name: case_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.case_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: case_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.case_id_seq OWNED BY public."case".id;


--
-- Name: case_note; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_note (
    id integer NOT NULL,
    case_id integer NOT NULL,
    side text NOT NULL COLLATE pg_catalog."C",
    author text NOT NULL COLLATE pg_catalog."C",
    text text NOT NULL COLLATE pg_catalog."C",
    at timestamp without time zone NOT NULL
);


--
-- Name: case_note_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.case_note_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: case_note_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.case_note_id_seq OWNED BY public.case_note.id;


--
-- Name: charge; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.charge (
    id integer NOT NULL,
    subscription_id integer NOT NULL,
    scheduled_date date NOT NULL,
    kind text NOT NULL COLLATE pg_catalog."C",
    attempt integer NOT NULL,
    date date NOT NULL,
    amount integer NOT NULL,
    currency text NOT NULL COLLATE pg_catalog."C",
    status text NOT NULL COLLATE pg_catalog."C",
    reason text COLLATE pg_catalog."C",
    reference text COLLATE pg_catalog."C",
    at timestamp without time zone NOT NULL
);


--
-- Name: charge_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.charge_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: charge_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.charge_id_seq OWNED BY public.charge.id;


--
-- Name: day_run; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.day_run (
    date date NOT NULL,
    counts text NOT NULL COLLATE pg_catalog."C",
    finished boolean NOT NULL
);


--
-- Name: event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event (
    id integer NOT NULL,
    type text NOT NULL COLLATE pg_catalog."C",
    subscription_id integer,
    case_id integer,
    at timestamp without time zone NOT NULL,
    payload text NOT NULL COLLATE pg_catalog."C",
    key text COLLATE pg_catalog."C"
);


--
-- Name: event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_id_seq OWNED BY public.event.id;


--
-- Name: meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meta (
    key text NOT NULL COLLATE pg_catalog."C",
    value text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: notification; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notification (
    id integer NOT NULL,
    template text NOT NULL COLLATE pg_catalog."C",
    recipient text NOT NULL COLLATE pg_catalog."C",
    subscription_id integer,
    at timestamp without time zone NOT NULL,
    key text COLLATE pg_catalog."C"
);


--
-- Name: notification_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.notification_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notification_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.notification_id_seq OWNED BY public.notification.id;


--
-- Name: payment_method; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payment_method (
    id integer NOT NULL,
    account_id integer NOT NULL,
    token text NOT NULL COLLATE pg_catalog."C",
    last4 text COLLATE pg_catalog."C",
    expiry text COLLATE pg_catalog."C"
);


--
-- Name: payment_method_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.payment_method_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: payment_method_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.payment_method_id_seq OWNED BY public.payment_method.id;


--
-- Name: product; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product (
    id integer NOT NULL,
    path text NOT NULL COLLATE pg_catalog."C",
    name text NOT NULL COLLATE pg_catalog."C",
    interval_unit text NOT NULL COLLATE pg_catalog."C",
    interval_length integer NOT NULL,
    price integer NOT NULL,
    currency text NOT NULL COLLATE pg_catalog."C",
    trial_days integer NOT NULL,
    rebills integer,
    renews_into text COLLATE pg_catalog."C",
    reminder_days integer NOT NULL,
    trial_reminder_days integer NOT NULL,
    overdue_notice_days text NOT NULL COLLATE pg_catalog."C",
    deactivate_after_days integer NOT NULL
);


--
-- Name: product_addon; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.product_addon (
    id integer NOT NULL,
    product_id integer NOT NULL,
    path text NOT NULL COLLATE pg_catalog."C",
    price integer NOT NULL,
    "group" text COLLATE pg_catalog."C",
    single boolean NOT NULL
);


--
-- Name: product_addon_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.product_addon_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: product_addon_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.product_addon_id_seq OWNED BY public.product_addon.id;


--
-- Name: product_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.product_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: product_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.product_id_seq OWNED BY public.product.id;


--
-- Name: store; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.store (
    id integer NOT NULL,
    name text NOT NULL COLLATE pg_catalog."C",
    timezone text NOT NULL COLLATE pg_catalog."C",
    currency text NOT NULL COLLATE pg_catalog."C",
    clock timestamp without time zone NOT NULL,
    day_open date
);


--
-- Name: store_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.store_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: store_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.store_id_seq OWNED BY public.store.id;


--
-- Name: subscription; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscription (
    id integer NOT NULL,
    reference_id text COLLATE pg_catalog."C",
    account_id integer NOT NULL,
    product_id integer NOT NULL,
    state text NOT NULL COLLATE pg_catalog."C",
    quantity integer NOT NULL,
    currency text NOT NULL COLLATE pg_catalog."C",
    price integer NOT NULL,
    interval_unit text NOT NULL COLLATE pg_catalog."C",
    interval_length integer NOT NULL,
    live boolean NOT NULL,
    manual_renew boolean NOT NULL,
    payment_method_id integer,
    begin_date date NOT NULL,
    next_charge_date date,
    end_date date,
    trial_end_date date,
    cancel_date date,
    pause_date date,
    resume_date date,
    deactivated_on date,
    discount_type text COLLATE pg_catalog."C",
    discount_value integer,
    discount_remaining integer,
    discount_code text COLLATE pg_catalog."C",
    rebills_left integer,
    tax_exemption text COLLATE pg_catalog."C",
    reminder_days integer NOT NULL,
    trial_reminder_days integer NOT NULL,
    overdue_notice_days text NOT NULL COLLATE pg_catalog."C",
    deactivate_after_days integer NOT NULL,
    overdue_since date,
    dunning_kind text COLLATE pg_catalog."C",
    dunning_date date,
    dunning_amount integer,
    dunning_attempts integer NOT NULL,
    dunning_next date,
    remind_on date,
    reminded_for date,
    last_prorated date,
    last_run date,
    created_at timestamp without time zone NOT NULL,
    reference_fold text COLLATE pg_catalog."C",
    period_start date
);


--
-- Name: subscription_addon; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subscription_addon (
    id integer NOT NULL,
    subscription_id integer NOT NULL,
    path text NOT NULL COLLATE pg_catalog."C",
    quantity integer NOT NULL,
    price integer NOT NULL
);


--
-- Name: subscription_addon_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.subscription_addon_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: subscription_addon_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.subscription_addon_id_seq OWNED BY public.subscription_addon.id;


--
-- Name: subscription_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.subscription_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: subscription_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.subscription_id_seq OWNED BY public.subscription.id;


--
-- Name: webhook_attempt; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_attempt (
    id integer NOT NULL,
    delivery_id integer NOT NULL,
    number integer NOT NULL,
    at timestamp without time zone NOT NULL,
    status_code integer,
    error text COLLATE pg_catalog."C",
    duration_ms integer NOT NULL,
    response text COLLATE pg_catalog."C"
);


--
-- Name: webhook_attempt_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.webhook_attempt_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: webhook_attempt_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.webhook_attempt_id_seq OWNED BY public.webhook_attempt.id;


--
-- Name: webhook_delivery; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_delivery (
    id integer NOT NULL,
    endpoint_id integer NOT NULL,
    event_id integer NOT NULL,
    epoch text NOT NULL COLLATE pg_catalog."C",
    status text NOT NULL COLLATE pg_catalog."C",
    attempts integer NOT NULL,
    failures integer NOT NULL,
    next_attempt_at timestamp without time zone,
    last_status integer,
    last_error text COLLATE pg_catalog."C",
    last_attempt_at timestamp without time zone,
    delivered_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: webhook_delivery_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.webhook_delivery_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: webhook_delivery_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.webhook_delivery_id_seq OWNED BY public.webhook_delivery.id;


--
-- Name: webhook_endpoint; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_endpoint (
    id integer NOT NULL,
    url text NOT NULL COLLATE pg_catalog."C",
    events text NOT NULL COLLATE pg_catalog."C",
    secret text NOT NULL COLLATE pg_catalog."C",
    previous_secret text COLLATE pg_catalog."C",
    previous_until timestamp without time zone,
    enabled boolean NOT NULL,
    disabled_reason text COLLATE pg_catalog."C",
    disabled_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: webhook_endpoint_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.webhook_endpoint_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: webhook_endpoint_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.webhook_endpoint_id_seq OWNED BY public.webhook_endpoint.id;


--
-- Name: account id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account ALTER COLUMN id SET DEFAULT nextval('public.account_id_seq'::regclass);


--
-- Name: audit id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit ALTER COLUMN id SET DEFAULT nextval('public.audit_id_seq'::regclass);


--
-- Name: case id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."case" ALTER COLUMN id SET DEFAULT nextval('public.case_id_seq'::regclass);


--
-- Name: case_escalation id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_escalation ALTER COLUMN id SET DEFAULT nextval('public.case_escalation_id_seq'::regclass);


--
-- Name: case_note id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_note ALTER COLUMN id SET DEFAULT nextval('public.case_note_id_seq'::regclass);


--
-- Name: charge id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.charge ALTER COLUMN id SET DEFAULT nextval('public.charge_id_seq'::regclass);


--
-- Name: event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event ALTER COLUMN id SET DEFAULT nextval('public.event_id_seq'::regclass);


--
-- Name: notification id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification ALTER COLUMN id SET DEFAULT nextval('public.notification_id_seq'::regclass);


--
-- Name: payment_method id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_method ALTER COLUMN id SET DEFAULT nextval('public.payment_method_id_seq'::regclass);


--
-- Name: product id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product ALTER COLUMN id SET DEFAULT nextval('public.product_id_seq'::regclass);


--
-- Name: product_addon id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_addon ALTER COLUMN id SET DEFAULT nextval('public.product_addon_id_seq'::regclass);


--
-- Name: store id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.store ALTER COLUMN id SET DEFAULT nextval('public.store_id_seq'::regclass);


--
-- Name: subscription id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription ALTER COLUMN id SET DEFAULT nextval('public.subscription_id_seq'::regclass);


--
-- Name: subscription_addon id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_addon ALTER COLUMN id SET DEFAULT nextval('public.subscription_addon_id_seq'::regclass);


--
-- Name: webhook_attempt id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_attempt ALTER COLUMN id SET DEFAULT nextval('public.webhook_attempt_id_seq'::regclass);


--
-- Name: webhook_delivery id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_delivery ALTER COLUMN id SET DEFAULT nextval('public.webhook_delivery_id_seq'::regclass);


--
-- Name: webhook_endpoint id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_endpoint ALTER COLUMN id SET DEFAULT nextval('public.webhook_endpoint_id_seq'::regclass);


--
-- Data for Name: account; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.account VALUES (1, 'ada@example.com', 'Ada', 'Lovelace', 'ada@example.com', 'ada', 'lovelace', 'en', 'GB', '', '', '', '', '', '', '');
INSERT INTO public.account VALUES (2, 'grace@example.com', 'Grace', 'Hopper', 'grace@example.com', 'grace', 'hopper', 'en', 'US', 'VA', '22030', '', '', '', '', '');
INSERT INTO public.account VALUES (3, 'alan@example.com', 'Alan', 'Turing', 'alan@example.com', 'alan', 'turing', 'en', 'GB', '', '', '', '', '', '', '');
INSERT INTO public.account VALUES (4, 'margaret@example.com', 'Margaret', 'Hamilton', 'margaret@example.com', 'margaret', 'hamilton', 'en', 'US', 'MA', '02139', '', '', '', '', '');
INSERT INTO public.account VALUES (5, 'ken@example.com', 'Ken', 'Thompson', 'ken@example.com', 'ken', 'thompson', 'en', 'US', 'NJ', '07974', '', '', '', '', '');


--
-- Data for Name: audit; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit VALUES (1, 'fixture', 'product-add', NULL, NULL, NULL, '{"path": "monthly-pro", "name": "Pro", "interval": "month", "length": 1, "price": "30.00", "currency": "USD", "trial_days": 0, "rebills": null, "renews_into": null, "reminder_days": 7, "trial_reminder_days": 3, "overdue_notice_days": [1, 3, 5], "deactivate_after_days": 7}', NULL, '2026-01-30 00:00:00', '2026-11-22 12:04:17.407097');
INSERT INTO public.audit VALUES (2, 'fixture', 'import', NULL, NULL, NULL, NULL, '{"file": "/work/main/fixtures/story/subscriptions.csv", "imported": 5, "rejected": 4, "skipped": 0, "rejected_rows": [{"row": 5, "reference_id": "OLD-1004"}, {"row": 6, "reference_id": "OLD-1005"}, {"row": 7, "reference_id": "OLD-1006"}, {"row": 10, "reference_id": "OLD-1009"}]}', '2026-01-30 00:00:00', '2026-11-22 12:04:17.41831');
INSERT INTO public.audit VALUES (3, 'fixture', 'pause', 2, NULL, '{"id": 2, "reference_id": "OLD-1002", "state": "active", "product": "monthly-pro", "quantity": 2, "currency": "USD", "price": "30.00", "amount": "45.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-01", "next_charge_date": "2026-03-01", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "4444", "expiry": "11/27"}, "discount": {"type": "percent", "value": "25", "remaining": 1}, "addons": [], "repeat_trial": false, "customer": {"email": "grace@example.com", "first": "Grace", "last": "Hopper"}, "overdue_since": null, "last_prorated": null}', '{"id": 2, "reference_id": "OLD-1002", "state": "active", "product": "monthly-pro", "quantity": 2, "currency": "USD", "price": "30.00", "amount": "45.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-01", "next_charge_date": "2026-03-01", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": "2026-03-01", "resume_date": "2026-04-01", "manual_renew": false, "payment_method": {"last4": "4444", "expiry": "11/27"}, "discount": {"type": "percent", "value": "25", "remaining": 1}, "addons": [], "repeat_trial": false, "customer": {"email": "grace@example.com", "first": "Grace", "last": "Hopper"}, "overdue_since": null, "last_prorated": null}', '{"periods": 1}', '2026-02-02 00:00:00', '2026-11-22 12:04:17.480312');
INSERT INTO public.audit VALUES (4, 'fixture', 'case-new', NULL, 1, NULL, '{"id": 1, "subject": "Fixture case", "category": "API", "status": "New", "severity": 2, "severity_name": "Medium", "response_due": "2026-02-02T12:00:00+00:00", "next_update_due": null, "breached": false, "next_due": {"target": "response", "at": "2026-02-02T12:00:00+00:00"}, "subscription": null, "kind": "seller", "opened_at": "2026-02-02T00:00:00+00:00", "first_response_at": null, "closed_at": null}', NULL, '2026-02-02 00:00:00', '2026-11-22 12:04:17.483801');


--
-- Data for Name: case; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."case" VALUES (1, 'seller', 'Fixture case', '', '', '[]', 'API', NULL, NULL, NULL, false, false, true, false, 2, 'New', '2026-02-02 00:00:00', NULL, NULL, '2026-02-02 00:00:00', NULL, NULL, '2026-02-02 12:00:00', NULL, NULL, NULL);


--
-- Data for Name: case_escalation; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: case_note; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: charge; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.charge VALUES (1, 1, '2026-01-31', 'rebill', 1, '2026-01-31', 3000, 'USD', 'completed', NULL, 'sbx_32b7466c36fac842', '2026-01-31 00:00:00');
INSERT INTO public.charge VALUES (2, 2, '2026-02-01', 'rebill', 1, '2026-02-01', 4500, 'USD', 'completed', NULL, 'sbx_ca61cda0081d3bf6', '2026-02-01 00:00:00');
INSERT INTO public.charge VALUES (3, 3, '2026-02-02', 'rebill', 1, '2026-02-02', 3000, 'USD', 'failed', 'declined: insufficient funds', 'sbx_369e302dd5a188b6', '2026-02-02 00:00:00');


--
-- Data for Name: day_run; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.day_run VALUES ('2026-01-31', '{"charged": 1, "cases_closed": 0}', true);
INSERT INTO public.day_run VALUES ('2026-02-01', '{"charged": 1, "cases_closed": 0}', true);
INSERT INTO public.day_run VALUES ('2026-02-02', '{"declined": 1, "reminders": 1, "cases_closed": 0}', true);


--
-- Data for Name: event; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.event VALUES (1, 'subscription.activated', 1, NULL, '2026-01-30 00:00:00', '{"id": 1, "reference_id": "OLD-1001", "state": "active", "product": "monthly-pro", "quantity": 1, "currency": "USD", "price": "30.00", "amount": "30.00", "interval": "month", "interval_length": 1, "begin_date": "2025-12-31", "next_charge_date": "2026-01-31", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "4242", "expiry": "12/28"}, "discount": null, "addons": [], "repeat_trial": false, "customer": {"email": "ada@example.com", "first": "Ada", "last": "Lovelace"}, "overdue_since": null, "last_prorated": null}', NULL);
INSERT INTO public.event VALUES (2, 'subscription.activated', 2, NULL, '2026-01-30 00:00:00', '{"id": 2, "reference_id": "OLD-1002", "state": "active", "product": "monthly-pro", "quantity": 2, "currency": "USD", "price": "30.00", "amount": "45.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-01", "next_charge_date": "2026-02-01", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "4444", "expiry": "11/27"}, "discount": {"type": "percent", "value": "25", "remaining": 2}, "addons": [], "repeat_trial": false, "customer": {"email": "grace@example.com", "first": "Grace", "last": "Hopper"}, "overdue_since": null, "last_prorated": null}', NULL);
INSERT INTO public.event VALUES (3, 'subscription.activated', 3, NULL, '2026-01-30 00:00:00', '{"id": 3, "reference_id": "OLD-1003", "state": "active", "product": "monthly-pro", "quantity": 1, "currency": "USD", "price": "30.00", "amount": "30.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-02", "next_charge_date": "2026-02-02", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "9995", "expiry": "01/29"}, "discount": null, "addons": [], "repeat_trial": false, "customer": {"email": "alan@example.com", "first": "Alan", "last": "Turing"}, "overdue_since": null, "last_prorated": null}', NULL);
INSERT INTO public.event VALUES (4, 'subscription.activated', 4, NULL, '2026-01-30 00:00:00', '{"id": 4, "reference_id": "OLD-1007", "state": "trial", "product": "monthly-pro", "quantity": 1, "currency": "USD", "price": "30.00", "amount": "30.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-22", "next_charge_date": "2026-02-05", "end_date": null, "trial_end_date": "2026-02-04", "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "4242", "expiry": "12/28"}, "discount": null, "addons": [], "repeat_trial": false, "customer": {"email": "margaret@example.com", "first": "Margaret", "last": "Hamilton"}, "overdue_since": null, "last_prorated": null}', NULL);
INSERT INTO public.event VALUES (5, 'subscription.activated', 5, NULL, '2026-01-30 00:00:00', '{"id": 5, "reference_id": "OLD-1008", "state": "active", "product": "monthly-pro", "quantity": 1, "currency": "USD", "price": "30.00", "amount": "30.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-03", "next_charge_date": "2026-02-03", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": true, "payment_method": null, "discount": null, "addons": [], "repeat_trial": false, "customer": {"email": "ken@example.com", "first": "Ken", "last": "Thompson"}, "overdue_since": null, "last_prorated": null}', NULL);
INSERT INTO public.event VALUES (6, 'subscription.charge.completed', 1, NULL, '2026-01-31 00:00:00', '{"id": 1, "reference_id": "OLD-1001", "state": "active", "product": "monthly-pro", "quantity": 1, "currency": "USD", "price": "30.00", "amount": "30.00", "interval": "month", "interval_length": 1, "begin_date": "2025-12-31", "next_charge_date": "2026-02-28", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "4242", "expiry": "12/28"}, "discount": null, "addons": [], "repeat_trial": false, "customer": {"email": "ada@example.com", "first": "Ada", "last": "Lovelace"}, "overdue_since": null, "last_prorated": null}', '2026-01-31/1/subscription.charge.completed/1');
INSERT INTO public.event VALUES (7, 'subscription.charge.completed', 2, NULL, '2026-02-01 00:00:00', '{"id": 2, "reference_id": "OLD-1002", "state": "active", "product": "monthly-pro", "quantity": 2, "currency": "USD", "price": "30.00", "amount": "45.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-01", "next_charge_date": "2026-03-01", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "4444", "expiry": "11/27"}, "discount": {"type": "percent", "value": "25", "remaining": 1}, "addons": [], "repeat_trial": false, "customer": {"email": "grace@example.com", "first": "Grace", "last": "Hopper"}, "overdue_since": null, "last_prorated": null}', '2026-02-01/2/subscription.charge.completed/1');
INSERT INTO public.event VALUES (8, 'subscription.charge.failed', 3, NULL, '2026-02-02 00:00:00', '{"id": 3, "reference_id": "OLD-1003", "state": "overdue", "product": "monthly-pro", "quantity": 1, "currency": "USD", "price": "30.00", "amount": "30.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-02", "next_charge_date": "2026-02-02", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "9995", "expiry": "01/29"}, "discount": null, "addons": [], "repeat_trial": false, "customer": {"email": "alan@example.com", "first": "Alan", "last": "Turing"}, "overdue_since": "2026-02-02", "last_prorated": null}', '2026-02-02/3/subscription.charge.failed/1');
INSERT INTO public.event VALUES (9, 'subscription.trial.reminder', 4, NULL, '2026-02-02 00:00:00', '{"id": 4, "reference_id": "OLD-1007", "state": "trial", "product": "monthly-pro", "quantity": 1, "currency": "USD", "price": "30.00", "amount": "30.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-22", "next_charge_date": "2026-02-05", "end_date": null, "trial_end_date": "2026-02-04", "cancel_date": null, "pause_date": null, "resume_date": null, "manual_renew": false, "payment_method": {"last4": "4242", "expiry": "12/28"}, "discount": null, "addons": [], "repeat_trial": false, "customer": {"email": "margaret@example.com", "first": "Margaret", "last": "Hamilton"}, "overdue_since": null, "last_prorated": null}', '2026-02-02/4/subscription.trial.reminder/1');
INSERT INTO public.event VALUES (10, 'subscription.updated', 2, NULL, '2026-02-02 00:00:00', '{"id": 2, "reference_id": "OLD-1002", "state": "active", "product": "monthly-pro", "quantity": 2, "currency": "USD", "price": "30.00", "amount": "45.00", "interval": "month", "interval_length": 1, "begin_date": "2026-01-01", "next_charge_date": "2026-03-01", "end_date": null, "trial_end_date": null, "cancel_date": null, "pause_date": "2026-03-01", "resume_date": "2026-04-01", "manual_renew": false, "payment_method": {"last4": "4444", "expiry": "11/27"}, "discount": {"type": "percent", "value": "25", "remaining": 1}, "addons": [], "repeat_trial": false, "customer": {"email": "grace@example.com", "first": "Grace", "last": "Hopper"}, "overdue_since": null, "last_prorated": null}', NULL);
INSERT INTO public.event VALUES (11, 'case.opened', NULL, 1, '2026-02-02 00:00:00', '{"id": 1, "subject": "Fixture case", "category": "API", "status": "New", "severity": 2, "severity_name": "Medium", "response_due": "2026-02-02T12:00:00+00:00", "next_update_due": null, "breached": false, "next_due": {"target": "response", "at": "2026-02-02T12:00:00+00:00"}, "subscription": null, "kind": "seller", "opened_at": "2026-02-02T00:00:00+00:00", "first_response_at": null, "closed_at": null}', NULL);


--
-- Data for Name: meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.meta VALUES ('schema_version', '6');


--
-- Data for Name: notification; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.notification VALUES (1, 'Payment Receipt', 'ada@example.com', 1, '2026-01-31 00:00:00', '2026-01-31/1/email:Payment Receipt/1');
INSERT INTO public.notification VALUES (2, 'Payment Receipt', 'grace@example.com', 2, '2026-02-01 00:00:00', '2026-02-01/2/email:Payment Receipt/1');
INSERT INTO public.notification VALUES (3, 'Charge Failed', 'alan@example.com', 3, '2026-02-02 00:00:00', '2026-02-02/3/email:Charge Failed/1');
INSERT INTO public.notification VALUES (4, 'Trial Reminder', 'margaret@example.com', 4, '2026-02-02 00:00:00', '2026-02-02/4/email:Trial Reminder/1');
INSERT INTO public.notification VALUES (5, 'Subscription Paused', 'grace@example.com', 2, '2026-02-02 00:00:00', NULL);


--
-- Data for Name: payment_method; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.payment_method VALUES (1, 1, 'tok_visa', '4242', '12/28');
INSERT INTO public.payment_method VALUES (2, 2, 'tok_mastercard', '4444', '11/27');
INSERT INTO public.payment_method VALUES (3, 3, 'tok_chargeDeclinedInsufficientFunds', '9995', '01/29');
INSERT INTO public.payment_method VALUES (4, 4, 'tok_visa', '4242', '12/28');


--
-- Data for Name: product; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.product VALUES (1, 'monthly-pro', 'Pro', 'month', 1, 3000, 'USD', 0, NULL, NULL, 7, 3, '1,3,5', 7);


--
-- Data for Name: product_addon; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: store; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.store VALUES (1, 'store', 'UTC', 'USD', '2026-02-02 00:00:00', NULL);


--
-- Data for Name: subscription; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.subscription VALUES (5, 'OLD-1008', 5, 1, 'active', 1, 'USD', 3000, 'month', 1, true, true, NULL, '2026-01-03', '2026-02-03', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7, 3, '1,3,5', 7, NULL, NULL, NULL, NULL, 0, NULL, '2026-01-27', NULL, NULL, NULL, '2026-01-30 00:00:00', 'old-1008', '2026-01-03');
INSERT INTO public.subscription VALUES (1, 'OLD-1001', 1, 1, 'active', 1, 'USD', 3000, 'month', 1, true, false, 1, '2025-12-31', '2026-02-28', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7, 3, '1,3,5', 7, NULL, NULL, NULL, NULL, 0, NULL, '2026-02-21', NULL, NULL, '2026-01-31', '2026-01-30 00:00:00', 'old-1001', '2026-01-31');
INSERT INTO public.subscription VALUES (3, 'OLD-1003', 3, 1, 'overdue', 1, 'USD', 3000, 'month', 1, true, false, 3, '2026-01-02', '2026-02-02', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7, 3, '1,3,5', 7, '2026-02-02', 'rebill', '2026-02-02', 3000, 0, '2026-02-03', NULL, NULL, NULL, '2026-02-02', '2026-01-30 00:00:00', 'old-1003', '2026-01-02');
INSERT INTO public.subscription VALUES (4, 'OLD-1007', 4, 1, 'trial', 1, 'USD', 3000, 'month', 1, true, false, 4, '2026-01-22', '2026-02-05', NULL, '2026-02-04', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7, 3, '1,3,5', 7, NULL, NULL, NULL, NULL, 0, NULL, '2026-02-02', '2026-02-05', NULL, '2026-02-02', '2026-01-30 00:00:00', 'old-1007', NULL);
INSERT INTO public.subscription VALUES (2, 'OLD-1002', 2, 1, 'active', 2, 'USD', 3000, 'month', 1, true, false, 2, '2026-01-01', '2026-03-01', NULL, NULL, NULL, '2026-03-01', '2026-04-01', NULL, 'percent', 2500, 1, NULL, NULL, NULL, 7, 3, '1,3,5', 7, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, '2026-02-01', '2026-01-30 00:00:00', 'old-1002', '2026-02-01');


--
-- Data for Name: subscription_addon; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: webhook_attempt; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: webhook_delivery; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: webhook_endpoint; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: account_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.account_id_seq', 5, true);


--
-- Name: audit_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_id_seq', 4, true);


--
-- Name: case_escalation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.case_escalation_id_seq', 1, false);


--
-- Name: case_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.case_id_seq', 1, true);


--
-- Name: case_note_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.case_note_id_seq', 1, false);


--
-- Name: charge_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.charge_id_seq', 3, true);


--
-- Name: event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_id_seq', 11, true);


--
-- Name: notification_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notification_id_seq', 5, true);


--
-- Name: payment_method_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.payment_method_id_seq', 4, true);


--
-- Name: product_addon_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.product_addon_id_seq', 1, false);


--
-- Name: product_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.product_id_seq', 1, true);


--
-- Name: store_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.store_id_seq', 1, true);


--
-- Name: subscription_addon_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.subscription_addon_id_seq', 1, false);


--
-- Name: subscription_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.subscription_id_seq', 5, true);


--
-- Name: webhook_attempt_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhook_attempt_id_seq', 1, false);


--
-- Name: webhook_delivery_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhook_delivery_id_seq', 1, false);


--
-- Name: webhook_endpoint_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhook_endpoint_id_seq', 1, false);


--
-- Name: account account_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_pkey PRIMARY KEY (id);


--
-- Name: audit audit_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (id);


--
-- Name: case_escalation case_escalation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_escalation
    ADD CONSTRAINT case_escalation_pkey PRIMARY KEY (id);


--
-- Name: case_note case_note_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_note
    ADD CONSTRAINT case_note_pkey PRIMARY KEY (id);


--
-- Name: case case_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."case"
    ADD CONSTRAINT case_pkey PRIMARY KEY (id);


--
-- Name: charge charge_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.charge
    ADD CONSTRAINT charge_pkey PRIMARY KEY (id);


--
-- Name: day_run day_run_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.day_run
    ADD CONSTRAINT day_run_pkey PRIMARY KEY (date);


--
-- Name: event event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (id);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);


--
-- Name: notification notification_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification
    ADD CONSTRAINT notification_pkey PRIMARY KEY (id);


--
-- Name: payment_method payment_method_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_method
    ADD CONSTRAINT payment_method_pkey PRIMARY KEY (id);


--
-- Name: product_addon product_addon_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_addon
    ADD CONSTRAINT product_addon_pkey PRIMARY KEY (id);


--
-- Name: product product_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product
    ADD CONSTRAINT product_pkey PRIMARY KEY (id);


--
-- Name: store store_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.store
    ADD CONSTRAINT store_pkey PRIMARY KEY (id);


--
-- Name: subscription_addon subscription_addon_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_addon
    ADD CONSTRAINT subscription_addon_pkey PRIMARY KEY (id);


--
-- Name: subscription subscription_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription
    ADD CONSTRAINT subscription_pkey PRIMARY KEY (id);


--
-- Name: webhook_attempt webhook_attempt_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_attempt
    ADD CONSTRAINT webhook_attempt_pkey PRIMARY KEY (id);


--
-- Name: webhook_delivery webhook_delivery_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_delivery
    ADD CONSTRAINT webhook_delivery_pkey PRIMARY KEY (id);


--
-- Name: webhook_endpoint webhook_endpoint_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_endpoint
    ADD CONSTRAINT webhook_endpoint_pkey PRIMARY KEY (id);


--
-- Name: account_email; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX account_email ON public.account USING btree (email);


--
-- Name: account_email_fold; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX account_email_fold ON public.account USING btree (email_fold);


--
-- Name: account_first_last_fold; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX account_first_last_fold ON public.account USING btree (first_fold, last_fold);


--
-- Name: account_last_fold; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX account_last_fold ON public.account USING btree (last_fold);


--
-- Name: audit_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_action ON public.audit USING btree (action, id);


--
-- Name: audit_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_case_id ON public.audit USING btree (case_id);


--
-- Name: audit_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_subscription_id ON public.audit USING btree (subscription_id);


--
-- Name: case_due_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX case_due_at ON public."case" USING btree (due_at);


--
-- Name: case_escalation_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX case_escalation_case_id ON public.case_escalation USING btree (case_id);


--
-- Name: case_note_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX case_note_case_id ON public.case_note USING btree (case_id);


--
-- Name: case_severity; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX case_severity ON public."case" USING btree (severity);


--
-- Name: case_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX case_status ON public."case" USING btree (status);


--
-- Name: case_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX case_subscription_id ON public."case" USING btree (subscription_id);


--
-- Name: charge_collected; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX charge_collected ON public.charge USING btree (date, kind, subscription_id, scheduled_date, amount, at) WHERE ((status = 'completed'::text) AND (kind = ANY (ARRAY['retry'::text, 'payment'::text])));


--
-- Name: charge_completed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX charge_completed ON public.charge USING btree (date, currency, kind, amount) WHERE (status = 'completed'::text);


--
-- Name: charge_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX charge_date ON public.charge USING btree (date);


--
-- Name: charge_failed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX charge_failed ON public.charge USING btree (date, kind, subscription_id, scheduled_date, currency, amount) WHERE (status = 'failed'::text);


--
-- Name: charge_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX charge_subscription_id ON public.charge USING btree (subscription_id);


--
-- Name: charge_subscription_id_scheduled_date_kind_attempt; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX charge_subscription_id_scheduled_date_kind_attempt ON public.charge USING btree (subscription_id, scheduled_date, kind, attempt);


--
-- Name: event_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_at ON public.event USING btree (at);


--
-- Name: event_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_case_id ON public.event USING btree (case_id);


--
-- Name: event_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX event_key ON public.event USING btree (key);


--
-- Name: event_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_subscription_id ON public.event USING btree (subscription_id);


--
-- Name: event_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_type ON public.event USING btree (type);


--
-- Name: notification_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_at ON public.notification USING btree (at);


--
-- Name: notification_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX notification_key ON public.notification USING btree (key);


--
-- Name: notification_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_subscription_id ON public.notification USING btree (subscription_id);


--
-- Name: payment_method_account_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX payment_method_account_id ON public.payment_method USING btree (account_id);


--
-- Name: product_addon_product_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX product_addon_product_id ON public.product_addon USING btree (product_id);


--
-- Name: product_addon_product_id_path; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX product_addon_product_id_path ON public.product_addon USING btree (product_id, path);


--
-- Name: product_path; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX product_path ON public.product USING btree (path);


--
-- Name: subscription_account_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_account_id ON public.subscription USING btree (account_id);


--
-- Name: subscription_addon_subscription_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_addon_subscription_id ON public.subscription_addon USING btree (subscription_id);


--
-- Name: subscription_addon_subscription_id_path; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX subscription_addon_subscription_id_path ON public.subscription_addon USING btree (subscription_id, path);


--
-- Name: subscription_cancel_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_cancel_date ON public.subscription USING btree (cancel_date);


--
-- Name: subscription_dunning_next; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_dunning_next ON public.subscription USING btree (dunning_next);


--
-- Name: subscription_end_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_end_date ON public.subscription USING btree (end_date);


--
-- Name: subscription_list_order; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_list_order ON public.subscription USING btree (COALESCE(next_charge_date, '9999-12-31'::date), id);


--
-- Name: subscription_pause_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_pause_date ON public.subscription USING btree (pause_date);


--
-- Name: subscription_payment_method_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_payment_method_id ON public.subscription USING btree (payment_method_id);


--
-- Name: subscription_product_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_product_id ON public.subscription USING btree (product_id);


--
-- Name: subscription_product_order; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_product_order ON public.subscription USING btree (product_id, COALESCE(next_charge_date, '9999-12-31'::date), id);


--
-- Name: subscription_reference_fold; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_reference_fold ON public.subscription USING btree (reference_fold);


--
-- Name: subscription_reference_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX subscription_reference_id ON public.subscription USING btree (reference_id);


--
-- Name: subscription_remind_on; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_remind_on ON public.subscription USING btree (remind_on);


--
-- Name: subscription_report; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_report ON public.subscription USING btree (state, next_charge_date, interval_unit, interval_length, currency, price, quantity);


--
-- Name: subscription_report_terms; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_report_terms ON public.subscription USING btree (state, next_charge_date, interval_unit, interval_length, currency, price, quantity, manual_renew, pause_date, resume_date, cancel_date, end_date, rebills_left, discount_type, discount_value, discount_remaining, product_id) WHERE ((manual_renew = true) OR (pause_date IS NOT NULL) OR (resume_date IS NOT NULL) OR (cancel_date IS NOT NULL) OR (end_date IS NOT NULL) OR (rebills_left IS NOT NULL) OR (discount_type IS NOT NULL));


--
-- Name: subscription_resume_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_resume_date ON public.subscription USING btree (resume_date);


--
-- Name: subscription_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_state ON public.subscription USING btree (state);


--
-- Name: subscription_state_order; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX subscription_state_order ON public.subscription USING btree (state, COALESCE(next_charge_date, '9999-12-31'::date), id);


--
-- Name: webhook_attempt_delivery_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_attempt_delivery_id ON public.webhook_attempt USING btree (delivery_id);


--
-- Name: webhook_delivery_endpoint_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_delivery_endpoint_id ON public.webhook_delivery USING btree (endpoint_id);


--
-- Name: webhook_delivery_endpoint_id_status_next_attempt_at_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_delivery_endpoint_id_status_next_attempt_at_id ON public.webhook_delivery USING btree (endpoint_id, status, next_attempt_at, id);


--
-- Name: webhook_delivery_event_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_delivery_event_id ON public.webhook_delivery USING btree (event_id);


--
-- Name: webhook_delivery_status_next_attempt_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_delivery_status_next_attempt_at ON public.webhook_delivery USING btree (status, next_attempt_at);


--
-- Name: audit audit_no_edit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_no_edit BEFORE DELETE OR UPDATE ON public.audit FOR EACH ROW EXECUTE FUNCTION public.audit_refuse();


--
-- Name: audit audit_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON public.audit FOR EACH STATEMENT EXECUTE FUNCTION public.audit_refuse();


--
-- Name: audit audit_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit
    ADD CONSTRAINT audit_case_id_fkey FOREIGN KEY (case_id) REFERENCES public."case"(id);


--
-- Name: audit audit_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit
    ADD CONSTRAINT audit_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscription(id);


--
-- Name: case_escalation case_escalation_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_escalation
    ADD CONSTRAINT case_escalation_case_id_fkey FOREIGN KEY (case_id) REFERENCES public."case"(id) ON DELETE CASCADE;


--
-- Name: case_note case_note_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_note
    ADD CONSTRAINT case_note_case_id_fkey FOREIGN KEY (case_id) REFERENCES public."case"(id) ON DELETE CASCADE;


--
-- Name: case case_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."case"
    ADD CONSTRAINT case_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscription(id);


--
-- Name: charge charge_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.charge
    ADD CONSTRAINT charge_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscription(id);


--
-- Name: event event_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_case_id_fkey FOREIGN KEY (case_id) REFERENCES public."case"(id);


--
-- Name: event event_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscription(id);


--
-- Name: notification notification_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification
    ADD CONSTRAINT notification_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscription(id);


--
-- Name: payment_method payment_method_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_method
    ADD CONSTRAINT payment_method_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE CASCADE;


--
-- Name: product_addon product_addon_product_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.product_addon
    ADD CONSTRAINT product_addon_product_id_fkey FOREIGN KEY (product_id) REFERENCES public.product(id) ON DELETE CASCADE;


--
-- Name: subscription subscription_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription
    ADD CONSTRAINT subscription_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id);


--
-- Name: subscription_addon subscription_addon_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription_addon
    ADD CONSTRAINT subscription_addon_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscription(id) ON DELETE CASCADE;


--
-- Name: subscription subscription_payment_method_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription
    ADD CONSTRAINT subscription_payment_method_id_fkey FOREIGN KEY (payment_method_id) REFERENCES public.payment_method(id) ON DELETE SET NULL;


--
-- Name: subscription subscription_product_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subscription
    ADD CONSTRAINT subscription_product_id_fkey FOREIGN KEY (product_id) REFERENCES public.product(id);


--
-- Name: webhook_attempt webhook_attempt_delivery_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_attempt
    ADD CONSTRAINT webhook_attempt_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES public.webhook_delivery(id) ON DELETE CASCADE;


--
-- Name: webhook_delivery webhook_delivery_endpoint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_delivery
    ADD CONSTRAINT webhook_delivery_endpoint_id_fkey FOREIGN KEY (endpoint_id) REFERENCES public.webhook_endpoint(id) ON DELETE CASCADE;


--
-- Name: webhook_delivery webhook_delivery_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_delivery
    ADD CONSTRAINT webhook_delivery_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

