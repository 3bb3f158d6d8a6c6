/*
 * orgs_test.c — organisations, members and invitations (store/orgs.h) on the
 * database named by KHIBRA_TEST_DB (run on SQLite and on PostgreSQL).
 */
#include "store/orgs.h"

#include "store_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct store_fixture fixture;
static db *odb;
static db_conn *oc;

static void setup(void)
{
	store_fixture_open_pool(&fixture, false, 2);
	odb = fixture.db;
	oc = fixture.c;
}

static void teardown(void)
{
	store_fixture_close(&fixture);
}

TestSuite(store_orgs, .init = setup, .fini = teardown);

static int64_t new_user(const char *name)
{
	char email[64];
	snprintf(email, sizeof email, "o-%08x%08x@example.org", randombytes_random(), randombytes_random());
	int64_t id = 0;
	cr_assert_eq(store_user_create(oc, email, name, "hash", "ar", "organisation", time(NULL), &id), DB_OK);
	return id;
}

static const struct org_fields sample = {
	"جمعية الأمل", "Al-Amal Society", "charity", "NCNP-77", "الرياض", "نخدم الأسر.\nونحتاج أطباء.", "https://amal.example.org",
};

static int64_t new_org(int64_t owner)
{
	int64_t id = 0;
	cr_assert_eq(store_org_create_owned(oc, &sample, owner, time(NULL), &id), DB_OK);
	cr_assert_gt(id, 0);
	return id;
}

static void unique_hash(char out[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, 65, raw, sizeof raw);
}

Test(store_orgs, create_makes_a_pending_org_with_its_owner)
{
	int64_t owner = new_user("فاطمة");
	int64_t id = new_org(owner);
	struct org_record o;
	cr_assert_eq(store_org_get(oc, id, &o), DB_OK);
	cr_assert_str_eq(o.name, "جمعية الأمل");
	cr_assert_str_eq(o.name_en, "Al-Amal Society");
	cr_assert_str_eq(o.kind, "charity");
	cr_assert_str_eq(o.registration_no, "NCNP-77");
	cr_assert_str_eq(o.description, "نخدم الأسر.\nونحتاج أطباء.");
	cr_assert_str_eq(o.website, "https://amal.example.org");
	cr_assert_str_eq(o.status, "pending");
	cr_assert_eq(o.verified_at, 0);
	cr_assert_eq(o.created_by, owner);
	org_record_free(&o);

	char role[16];
	cr_assert_eq(store_org_member_role(oc, id, owner, role, sizeof role), DB_OK);
	cr_assert_str_eq(role, "owner");
	cr_assert_eq(store_org_member_role(oc, id, new_user("x"), role, sizeof role), STORE_NOT_FOUND);

	struct org_record *mine = NULL;
	int n = 0;
	cr_assert_eq(store_orgs_of_user(oc, owner, &mine, &n), DB_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(mine[0].id, id);
	cr_assert_str_eq(mine[0].role, "owner");
	org_records_free(mine, n);

	cr_assert_eq(store_org_get(oc, id + 1000000, &o), STORE_NOT_FOUND);
}

Test(store_orgs, a_bad_kind_creates_nothing)
{
	int64_t owner = new_user("Ahmed");
	struct org_fields f = sample;
	f.kind = "club";
	int64_t id = 0;
	cr_assert_eq(store_org_create_owned(oc, &f, owner, time(NULL), &id), DB_CONSTRAINT);
	struct org_record *mine = NULL;
	int n = -1;
	cr_assert_eq(store_orgs_of_user(oc, owner, &mine, &n), DB_OK);
	cr_assert_eq(n, 0, "the failed creation left a membership behind");
	free(mine);
}

Test(store_orgs, update_replaces_the_fields)
{
	int64_t id = new_org(new_user("Huda"));
	struct org_fields f = { "مدرسة الفجر", "", "school", "MOE-1", "قرية الشعف", "دروس", "" };
	cr_assert_eq(store_org_update(oc, id, &f, NULL), DB_OK);
	struct org_record o;
	cr_assert_eq(store_org_get(oc, id, &o), DB_OK);
	cr_assert_str_eq(o.name, "مدرسة الفجر");
	cr_assert_str_eq(o.name_en, "");
	cr_assert_str_eq(o.kind, "school");
	cr_assert_str_eq(o.city, "قرية الشعف");
	cr_assert_str_eq(o.city_ar, "", "free text is not a known city");
	cr_assert_str_eq(o.website, "");
	cr_assert_str_eq(o.status, "pending");
	org_record_free(&o);
	cr_assert_eq(store_org_update(oc, id + 1000000, &f, NULL), STORE_NOT_FOUND);
}

Test(store_orgs, city_names_resolve_to_their_slug)
{
	int64_t id = new_org(new_user("Omar"));
	/* A city of our own, inside a transaction that is rolled back (so no
	 * call in it may open a transaction of its own). */
	cr_assert_eq(db_begin(oc, true), DB_OK);
	cr_assert_eq(db_exec(oc, "INSERT INTO cities (slug, name_ar, name_en, country_code, country_ar, country_en, lat, lon) "
				 "VALUES ('zz-test-town', 'بلدة الاختبار', 'Test Town', 'SA', 'السعودية', 'Saudi Arabia', 24.0, 46.0)",
			     DB_NO_PARAMS, NULL), DB_OK);
	char slug[64];
	cr_assert_eq(store_org_city_slug(oc, "zz-test-town", slug, sizeof slug), DB_OK);
	cr_assert_str_eq(slug, "zz-test-town");
	cr_assert_eq(store_org_city_slug(oc, "test TOWN", slug, sizeof slug), DB_OK);
	cr_assert_str_eq(slug, "zz-test-town");
	cr_assert_eq(store_org_city_slug(oc, "بلدة الاختبار", slug, sizeof slug), DB_OK);
	cr_assert_str_eq(slug, "zz-test-town");
	cr_assert_eq(store_org_city_slug(oc, "Nowhere-at-all", slug, sizeof slug), STORE_NOT_FOUND);

	struct org_fields f = sample;
	f.city = "zz-test-town";
	cr_assert_eq(store_org_update(oc, id, &f, NULL), DB_OK);
	struct org_record o;
	cr_assert_eq(store_org_get(oc, id, &o), DB_OK);
	cr_assert_str_eq(o.city, "zz-test-town");
	cr_assert_str_eq(o.city_en, "Test Town");
	cr_assert_str_eq(o.city_ar, "بلدة الاختبار");
	org_record_free(&o);
	cr_assert_eq(db_rollback(oc), DB_OK);
}

Test(store_orgs, invitations_are_single_use)
{
	int64_t owner = new_user("Owner");
	int64_t id = new_org(owner);
	int64_t now = time(NULL);
	char hash[65];
	unique_hash(hash);
	int64_t inv_id = 0;
	cr_assert_eq(store_org_invitation_create(oc, id, "invitee@example.org", "coordinator", hash, owner, now,
						 now + 3600, &inv_id), DB_OK);
	struct org_invitation inv;
	cr_assert_eq(store_org_invitation_find(oc, hash, now, &inv), DB_OK);
	cr_assert_eq(inv.id, inv_id);
	cr_assert_eq(inv.org_id, id);
	cr_assert_str_eq(inv.email, "invitee@example.org");
	cr_assert_str_eq(inv.role, "coordinator");
	org_invitation_free(&inv);

	int64_t invitee = new_user("Invitee");
	cr_assert_eq(store_org_invitation_accept(oc, inv_id, invitee, now), DB_OK);
	char role[16];
	cr_assert_eq(store_org_member_role(oc, id, invitee, role, sizeof role), DB_OK);
	cr_assert_str_eq(role, "coordinator");

	/* Used: neither found nor accepted again, by anyone. */
	cr_assert_eq(store_org_invitation_find(oc, hash, now, &inv), STORE_NOT_FOUND);
	cr_assert_eq(store_org_invitation_accept(oc, inv_id, invitee, now), STORE_NOT_FOUND);
	cr_assert_eq(store_org_invitation_accept(oc, inv_id, new_user("Other"), now), STORE_NOT_FOUND);

	/* Expired. */
	unique_hash(hash);
	cr_assert_eq(store_org_invitation_create(oc, id, "late@example.org", "owner", hash, owner, now - 7200,
						 now - 3600, &inv_id), DB_OK);
	cr_assert_eq(store_org_invitation_find(oc, hash, now, &inv), STORE_NOT_FOUND);
	cr_assert_eq(store_org_invitation_accept(oc, inv_id, new_user("Late"), now), STORE_NOT_FOUND);
}

Test(store_orgs, an_invitation_as_owner_promotes_a_coordinator)
{
	int64_t owner = new_user("Owner");
	int64_t id = new_org(owner);
	int64_t coord = new_user("Coord");
	int64_t now = time(NULL);
	cr_assert_eq(store_org_add_member(oc, id, coord, "coordinator", now), DB_OK);
	cr_assert_eq(store_org_add_member(oc, id, coord, "coordinator", now), DB_CONSTRAINT);
	char hash[65];
	unique_hash(hash);
	int64_t inv_id = 0;
	cr_assert_eq(store_org_invitation_create(oc, id, "c@example.org", "owner", hash, owner, now, now + 60, &inv_id),
		     DB_OK);
	cr_assert_eq(store_org_invitation_accept(oc, inv_id, coord, now), DB_OK);
	char role[16];
	cr_assert_eq(store_org_member_role(oc, id, coord, role, sizeof role), DB_OK);
	cr_assert_str_eq(role, "owner");

	struct org_member *m = NULL;
	int n = 0;
	cr_assert_eq(store_org_members(oc, id, &m, &n), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(m[0].role, "owner");
	cr_assert_str_eq(m[1].role, "owner");
	org_members_free(m, n);
}

Test(store_orgs, the_last_owner_stays)
{
	int64_t owner = new_user("Owner");
	int64_t id = new_org(owner);
	int64_t now = time(NULL);
	cr_assert_eq(store_org_remove_member(oc, id, owner), STORE_LAST_OWNER);
	char role[16];
	cr_assert_eq(store_org_member_role(oc, id, owner, role, sizeof role), DB_OK, "the last owner was removed");

	int64_t coord = new_user("Coord"), second = new_user("Second");
	cr_assert_eq(store_org_add_member(oc, id, coord, "coordinator", now), DB_OK);
	cr_assert_eq(store_org_remove_member(oc, id, coord), DB_OK);
	cr_assert_eq(store_org_member_role(oc, id, coord, role, sizeof role), STORE_NOT_FOUND);
	cr_assert_eq(store_org_remove_member(oc, id, coord), STORE_NOT_FOUND);

	cr_assert_eq(store_org_add_member(oc, id, second, "owner", now), DB_OK);
	cr_assert_eq(store_org_remove_member(oc, id, owner), DB_OK);
	cr_assert_eq(store_org_remove_member(oc, id, second), STORE_LAST_OWNER);
	cr_assert_eq(store_org_remove_member(oc, id + 1000000, second), STORE_NOT_FOUND);
}

/* set_status: put the organisation in `status` as a moderator would. */
static void set_status(int64_t id, const char *status)
{
	cr_assert_eq(db_exec(oc, "UPDATE orgs SET status = ?, verified_at = CASE WHEN ? = 'verified' THEN 1 ELSE NULL END "
				 "WHERE id = ?",
			     DB_PARAMS(DB_TEXT(status), DB_TEXT(status), DB_INT(id)), NULL), DB_OK);
}

static void assert_status_is(int64_t id, const char *status, bool verified)
{
	struct org_record o;
	cr_assert_eq(store_org_get(oc, id, &o), DB_OK);
	cr_assert_str_eq(o.status, status);
	cr_assert_eq(o.verified_at != 0, verified);
	org_record_free(&o);
}

Test(store_orgs, verification_sticks_to_what_was_verified)
{
	int64_t id = new_org(new_user("Verified"));
	struct org_fields f = sample;
	bool back = true;
	set_status(id, "verified");
	f.description = "وصف آخر";
	f.website = "";
	f.city = "jeddah";
	cr_assert_eq(store_org_update(oc, id, &f, &back), DB_OK);
	cr_assert(!back, "the description is not what was verified");
	assert_status_is(id, "verified", true);

	const char **fields[] = { &f.name, &f.name_en, &f.kind, &f.registration_no };
	const char *values[] = { "اسم جديد", "New name", "school", "NEW-1" };
	for (int i = 0; i < 4; i++) {
		f = sample;
		*fields[i] = values[i];
		set_status(id, "verified");
		cr_assert_eq(store_org_update(oc, id, &f, &back), DB_OK);
		cr_assert(back, "field %d", i);
		assert_status_is(id, "pending", false);
	}
	/* Pending stays pending (nothing to report); rejected resubmits on any edit. */
	cr_assert_eq(store_org_update(oc, id, &f, &back), DB_OK);
	cr_assert(!back);
	set_status(id, "rejected");
	f.description = "صححنا البيانات";
	cr_assert_eq(store_org_update(oc, id, &f, &back), DB_OK);
	cr_assert(back);
	assert_status_is(id, "pending", false);
}

Test(store_orgs, roles_change_but_never_the_last_owner)
{
	int64_t owner = new_user("Owner"), coord = new_user("Coord");
	int64_t id = new_org(owner);
	char role[16];
	cr_assert_eq(store_org_add_member(oc, id, coord, "coordinator", time(NULL)), DB_OK);
	cr_assert_eq(store_org_set_member_role(oc, id, owner, "coordinator"), STORE_LAST_OWNER);
	cr_assert_eq(store_org_set_member_role(oc, id, owner, "owner"), DB_OK, "an owner stays owner");
	cr_assert_eq(store_org_set_member_role(oc, id, new_user("Nobody"), "owner"), STORE_NOT_FOUND);
	cr_assert_eq(store_org_set_member_role(oc, id, coord, "owner"), DB_OK);
	cr_assert_eq(store_org_set_member_role(oc, id, owner, "coordinator"), DB_OK);
	cr_assert_eq(store_org_member_role(oc, id, owner, role, sizeof role), DB_OK);
	cr_assert_str_eq(role, "coordinator");
	cr_assert_eq(store_org_set_member_role(oc, id, coord, "coordinator"), STORE_LAST_OWNER);
	cr_assert_eq(store_org_member_role(oc, id, coord, role, sizeof role), DB_OK);
	cr_assert_str_eq(role, "owner");
}

Test(store_orgs, open_invitations_by_org_and_by_address)
{
	int64_t owner = new_user("Owner");
	int64_t id = new_org(owner), other = new_org(owner);
	int64_t now = time(NULL), a = 0, b = 0, c = 0, late = 0;
	char hash[65], email[64];
	snprintf(email, sizeof email, "inv-%08x@example.org", randombytes_random());
	unique_hash(hash);
	cr_assert_eq(store_org_invitation_create(oc, id, email, "coordinator", hash, owner, now, now + 60, &a), DB_OK);
	unique_hash(hash);
	cr_assert_eq(store_org_invitation_create(oc, id, "someone@example.org", "owner", hash, owner, now, now + 60, &b),
		     DB_OK);
	unique_hash(hash);
	cr_assert_eq(store_org_invitation_create(oc, other, email, "owner", hash, owner, now, now + 60, &c), DB_OK);
	unique_hash(hash);
	cr_assert_eq(store_org_invitation_create(oc, id, email, "owner", hash, owner, now - 100, now - 1, &late), DB_OK);

	struct org_invitation *list = NULL;
	int n = 0;
	cr_assert_eq(store_org_invitations_open(oc, id, NULL, now, &list, &n), DB_OK);
	cr_assert_eq(n, 2, "expired ones are not open");
	cr_assert_eq(list[0].id, b, "newest first");
	cr_assert_str_eq(list[0].org_name, "جمعية الأمل");
	org_invitations_free(list, n);
	cr_assert_eq(store_org_invitations_open(oc, 0, email, now, &list, &n), DB_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(list[0].id, c);
	cr_assert_eq(list[1].id, a);
	org_invitations_free(list, n);

	struct org_invitation inv;
	cr_assert_eq(store_org_invitation_get(oc, a, now, &inv), DB_OK);
	cr_assert_str_eq(inv.email, email);
	cr_assert_str_eq(inv.org_name_en, "Al-Amal Society");
	org_invitation_free(&inv);
	cr_assert_eq(store_org_invitation_get(oc, late, now, &inv), STORE_NOT_FOUND);

	/* Withdrawn: only by its own organisation, only once. */
	cr_assert_eq(store_org_invitation_delete(oc, other, a), STORE_NOT_FOUND);
	cr_assert_eq(store_org_invitation_delete(oc, id, a), DB_OK);
	cr_assert_eq(store_org_invitation_delete(oc, id, a), STORE_NOT_FOUND);
	cr_assert_eq(store_org_invitation_get(oc, a, now, &inv), STORE_NOT_FOUND);
	/* An accepted one cannot be withdrawn. */
	cr_assert_eq(store_org_invitation_accept(oc, b, new_user("Taker"), now), DB_OK);
	cr_assert_eq(store_org_invitation_delete(oc, id, b), STORE_NOT_FOUND);
}
