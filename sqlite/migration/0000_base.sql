-- Placeholder so the embed pattern matches until 0001_init.sql lands; replaced by the store work.
SELECT 1;
