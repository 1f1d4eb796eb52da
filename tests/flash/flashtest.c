/* The flash tests' fixture; see flashtest.h. */
#include "flashtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "image/image.h"
#include "image/preflight.h"
#include "sim/board.h"
#include "sim/scenario.h"
#include "sim/state.h"

static void make_board(struct ft *t, const char *what, va_list ap)
{
	struct sr_sim_state *st;
	snprintf(t->dir, sizeof(t->dir), "/tmp/sr-flash-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/b.ini", t->dir);
	if (strncmp(what, "stm32", 5) == 0)
		assert_int_equal(sr_sim_board_create(what, t->path), SR_OK);
	else {
		char sc[256];
		snprintf(sc, sizeof(sc), "%s/scenarios/%s.ini", getenv("STMRESCUE_DATADIR"), what);
		assert_int_equal(sr_sim_scenario_create(sc, t->path), SR_OK);
	}
	assert_int_equal(sr_sim_state_load(t->path, &st), SR_OK);
	for (const char *sec; (sec = va_arg(ap, const char *));) {
		const char *key = va_arg(ap, const char *), *val = va_arg(ap, const char *);
		sr_sim_state_set(st, sec, key, val);
	}
	assert_int_equal(sr_sim_state_save(st), SR_OK);
	sr_sim_state_free(st);
}

struct ft *ft_new(const char *what, ...)
{
	struct ft *t = calloc(1, sizeof(*t));
	struct sr_msgs why = {0};
	va_list ap;
	assert_non_null(t);
	va_start(ap, what);
	make_board(t, what, ap);
	va_end(ap);
	assert_int_equal(sr_db_load(getenv("STMRESCUE_DATADIR"), &t->db, &why), SR_OK);
	sr_msgs_free(&why);
	return t;
}

void ft_why(struct ft *t)
{
	for (int i = 0; i < t->f.why.n; i++)
		print_message("why: %s\n", t->f.why.v[i]);
	sr_msgs_free(&t->f.why);
}

void ft_connect(struct ft *t)
{
	struct sr_msgs why = {0};
	char spec[128];
	snprintf(spec, sizeof(spec), "sim:%s", t->path);
	int rc = sr_target_open(spec, t->db, &t->tg, &why);
	if (rc == SR_OK)
		rc = sr_target_connect(t->tg, SR_CONNECT_AUTO, &why);
	if (rc == SR_OK)
		rc = sr_target_identify(t->tg, &why);
	for (int i = 0; i < why.n; i++)
		print_message("connect: %s\n", why.v[i]);
	sr_msgs_free(&why);
	assert_int_equal(rc, SR_OK);
	rc = sr_flash_open(t->tg, &t->f);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	t->f_open = true;
}

static void ft_close(struct ft *t)
{
	if (t->f_open)
		sr_flash_close(&t->f);
	t->f_open = false;
	if (t->tg)
		sr_target_close(t->tg, false);
	t->tg = NULL;
}

void ft_reconnect(struct ft *t)
{
	ft_close(t);
	ft_connect(t);
}

void ft_free(struct ft *t)
{
	char cmd[128];
	ft_close(t);
	sr_db_free(t->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
}

void ft_read(struct ft *t, uint32_t addr, uint8_t *buf, uint32_t len)
{
	assert_int_equal(sr_target_read(t->tg, addr, buf, len), SR_OK);
}

bool ft_all(struct ft *t, uint32_t addr, uint32_t len, uint8_t val)
{
	uint8_t *buf = malloc(len);
	bool all = true;
	ft_read(t, addr, buf, len);
	for (uint32_t i = 0; all && i < len; i++)
		all = buf[i] == val;
	free(buf);
	return all;
}

uint8_t ft_pattern(uint32_t addr, uint32_t seed)
{
	uint32_t x = (addr ^ seed) * 2654435761u;
	return (uint8_t)(x >> 24);
}

void ft_fill(struct ft *t, uint32_t addr, uint32_t len, uint32_t seed)
{
	uint8_t *data = malloc(len);
	struct sr_msgs why = {0};
	struct sr_image img;
	struct sr_plan plan;
	struct sr_image_opts o = {.format = SR_IMAGE_BIN, .has_base = true, .base = addr};
	for (uint32_t i = 0; i < len; i++)
		data[i] = ft_pattern(addr + i, seed);
	assert_int_equal(sr_image_parse("pattern", data, len, &o, &img, &why), SR_OK);
	assert_int_equal(sr_plan_build(&img, &t->f.map, t->f.unit, t->f.erased, &plan), SR_OK);
	int rc = sr_flash_program_plan(&t->f, &plan);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	sr_plan_free(&plan);
	sr_image_free(&img);
	sr_msgs_free(&why);
	free(data);
}
