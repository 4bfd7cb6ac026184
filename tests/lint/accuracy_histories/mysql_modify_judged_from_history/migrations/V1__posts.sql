-- expect-none
CREATE TABLE posts (
    id bigint NOT NULL AUTO_INCREMENT,
    title varchar(20) NOT NULL,
    body varchar(60) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB;
